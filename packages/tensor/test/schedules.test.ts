import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { stepSchedule, exponentialSchedule, cosineSchedule, oneCycleSchedule, warmupCosineSchedule, InvalidParameterError } from '@descent/tensor';

const golden = JSON.parse(readFileSync(new URL('../../../tools/golden/fixtures/tensor/schedules.json', import.meta.url), 'utf8'));

describe('schedules match torch.optim.lr_scheduler', () => {
  const cases: Record<string, (a: any) => (s: number) => number> = {
    step: (a) => stepSchedule(a.value, a.stepSize, a.gamma),
    exponential: (a) => exponentialSchedule(a.value, a.gamma),
    cosine: (a) => cosineSchedule(a.value, a.decaySteps, a.minValue),
    oneCycle: (a) => oneCycleSchedule(a),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      const { args, lr } = golden.schedules[name];
      const s = make(args);
      lr.forEach((expected: number, step: number) => expect(s(step)).toBeCloseTo(expected, 10));
    });
  }
  it('warm-up then cosine', () => {
    const s = warmupCosineSchedule({ peakValue: 1, warmupSteps: 4, totalSteps: 14 });
    expect([0, 2, 4].map(s)).toEqual([0, 0.5, 1]);
    expect(s(9)).toBeCloseTo(0.5, 12);
    expect(s(14)).toBeCloseTo(0, 12);
    expect(() => warmupCosineSchedule({ peakValue: 1, warmupSteps: 5, totalSteps: 5 })).toThrow(InvalidParameterError);
  });
});
