import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { tf, useBackend, denseChainHvp, denseChainHvpAvailable, setNativeFusion, InvalidParameterError } from '../src/index';
import { nativeBlas } from '@descent/native-blas';

// The products themselves are checked in @descent/hessian (r-op.test.ts: against torch 1.13's exact
// H·v and double backprop, on both paths); here the contract of the kernel call.
describe('denseChainHvp', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterEach(() => setNativeFusion(true));

  const chain = () => {
    const t = (shape: number[]) => tf.randomNormal(shape, 0, 1, 'float32', shape.reduce((a, b) => a + b, 0));
    const ops = [
      { kind: 'dense' as const, input: t([4, 3]), kernel: t([3, 5]), vKernel: t([3, 5]), vBias: t([5]), wantKernel: true, wantBias: true },
      { kind: 'act' as const, d1: t([4, 5]) },
      { kind: 'dense' as const, input: t([4, 5]), kernel: t([5, 2]), vKernel: t([5, 2]), delta: t([4, 2]), wantKernel: true, wantBias: false },
    ];
    return { ops, pScaled: t([4, 2]), probs: t([4, 2]) };
  };
  const dispose = (c: ReturnType<typeof chain>) => tf.dispose([c.pScaled, c.probs, ...c.ops.flatMap((o) => Object.values(o).filter((v): v is tf.Tensor => v instanceof tf.Tensor))]);

  it('is available exactly where the addon is built and fusion is on', () => {
    expect(denseChainHvpAvailable()).toBe(nativeBlas() !== null);
    setNativeFusion(false);
    expect(denseChainHvpAvailable()).toBe(false);
    const c = chain();
    expect(denseChainHvp(c.ops, c.pScaled, c.probs)).toBeUndefined();
    dispose(c);
  });

  it.skipIf(nativeBlas() === null)('returns the wanted products, shaped as the parameters, without leaks', () => {
    const c = chain();
    const before = tf.memory().numTensors;
    const out = denseChainHvp(c.ops, c.pScaled, c.probs)!;
    expect(out.map((o) => [o.kernel?.shape, o.bias?.shape])).toEqual([[[3, 5], [5]], [undefined, undefined], [[5, 2], undefined]]);
    for (const o of out) for (const t of [o.kernel, o.bias]) if (t) expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose(out.flatMap((o) => [o.kernel, o.bias]).filter((t): t is tf.Tensor => !!t));
    expect(tf.memory().numTensors).toBe(before);
    dispose(c);
  });

  it.skipIf(nativeBlas() === null)('rejects chains that do not fit with a clear error', () => {
    const c = chain();
    expect(() => denseChainHvp([c.ops[1]], c.pScaled, c.probs)).toThrow(InvalidParameterError);
    expect(() => denseChainHvp([c.ops[0], c.ops[0]], c.pScaled, c.probs)).toThrow(/ops\[1\].*width 3.*5, the previous op's output/);
    const noDelta = { ...c.ops[2], delta: undefined };
    expect(() => denseChainHvp([c.ops[0], c.ops[1], noDelta], c.pScaled, c.probs)).toThrow(/ops\[2\]\.delta/);
    const wrongV = { ...c.ops[0], vKernel: c.ops[2].kernel };
    expect(() => denseChainHvp([wrongV, c.ops[1], c.ops[2]], c.pScaled, c.probs)).toThrow(/ops\[0\]\.vKernel.*\[5,2\].*\[3,5\]/);
    const flat = c.probs.reshape([8]);
    expect(() => denseChainHvp(c.ops, flat, c.probs)).toThrow(/pScaled/);
    tf.dispose(flat);
    dispose(c);
  });
});
