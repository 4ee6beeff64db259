import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  tf,
  useBackend,
  chain,
  clipByGlobalNorm,
  clipByValue,
  addDecayedWeights,
  scaleByLearningRate,
  parameterGroups,
  maskTransform,
  decayMask,
  step,
  setHyperparam,
  getHyperparam,
  stateTensors,
  InvalidParameterError,
  type ParamMap,
} from '@descent/tensor';

const clipGolden = JSON.parse(readFileSync(new URL('../../../tools/golden/fixtures/tensor/clip.json', import.meta.url), 'utf8'));
const values = (m: ParamMap) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('composable transforms', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('clipByGlobalNorm matches torch.nn.utils.clip_grad_norm_', () => {
    for (const c of clipGolden.cases) {
      const t = clipByGlobalNorm(c.maxNorm);
      const grads = { a: tf.tensor(c.grads.a, [4, 3]), b: tf.tensor(c.grads.b) };
      const { updates } = t.update(grads, t.init(grads));
      const got = values(updates);
      got.a.forEach((v, i) => expect(v).toBeCloseTo(c.expected.a[i], 4));
      got.b.forEach((v, i) => expect(v).toBeCloseTo(c.expected.b[i], 4));
      tf.dispose([...Object.values(grads), ...Object.values(updates)]);
    }
  });

  it('chain(clip, decay with mask, lr) is plain SGD with L2 on kernels only', () => {
    const params = { 'd/kernel': tf.tensor([[1, 2]]), 'd/bias': tf.tensor([3]) };
    const grads = { 'd/kernel': tf.tensor([[0.5, -0.5]]), 'd/bias': tf.tensor([1]) };
    const t = chain(clipByValue(0.4), addDecayedWeights(0.1, decayMask), scaleByLearningRate(0.5));
    const before = tf.memory().numTensors;
    const r = step(t, params, grads, t.init(params));
    expect(values(r.params)['d/kernel'][0]).toBeCloseTo(1 - 0.5 * (0.4 + 0.1), 6);
    expect(values(r.params)['d/kernel'][1]).toBeCloseTo(2 - 0.5 * (-0.4 + 0.2), 6);
    expect(values(r.params)['d/bias'][0]).toBeCloseTo(3 - 0.5 * 0.4, 6);
    // Only the two new parameter tensors remain; every intermediate was disposed.
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([...Object.values(params), ...Object.values(grads), ...Object.values(r.params)]);
  });

  it('hyperparameters live in the state and can be changed mid-run', () => {
    const t = chain(clipByGlobalNorm(1), scaleByLearningRate(0.1));
    const p = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(getHyperparam(s, 'lr')).toBe(0.1);
    expect(setHyperparam(s, 'lr', 0.01)).toBe(1);
    const g = { w: tf.tensor([0.5]) };
    const r = step(t, p, g, s);
    expect(r.params.w.dataSync()[0]).toBeCloseTo(1 - 0.01 * 0.5, 7);
    tf.dispose([p.w, g.w, r.params.w]);
  });

  it('scaleByLearningRate follows a schedule of the step count', () => {
    const t = scaleByLearningRate((k) => 1 / (k + 1));
    let s = t.init({});
    const g = { w: tf.tensor([1]) };
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = t.update(g, s);
      seen.push(r.updates.w.dataSync()[0]);
      r.updates.w.dispose();
      s = r.state;
    }
    [-1, -0.5, -1 / 3].forEach((v, i) => expect(seen[i]).toBeCloseTo(v, 6));
    g.w.dispose();
  });

  it('parameter groups and masks route parameters', () => {
    const t = parameterGroups([
      { mask: /bias$/, transform: scaleByLearningRate(1) },
      { transform: scaleByLearningRate(0.1) },
    ]);
    const p = { 'a/kernel': tf.tensor([1]), 'a/bias': tf.tensor([1]) };
    const r = step(t, p, { 'a/kernel': tf.tensor([1]), 'a/bias': tf.tensor([1]) }, t.init(p));
    expect(values(r.params)).toEqual({ 'a/kernel': [expect.closeTo(0.9, 6)], 'a/bias': [0] });
    const m = maskTransform(scaleByLearningRate(2), (n) => n.endsWith('kernel'));
    const u = m.update({ 'a/kernel': tf.tensor([1]), 'a/bias': tf.tensor([1]) }, m.init(p), p);
    expect(values(u.updates)).toEqual({ 'a/kernel': [-2], 'a/bias': [1] });
    stateTensors(r.state).forEach((x) => x.dispose());
  });

  it('rejects bad arguments by name', () => {
    expect(() => clipByGlobalNorm(0)).toThrow(InvalidParameterError);
    expect(() => clipByGlobalNorm(0)).toThrow(/maxNorm/);
    expect(() => addDecayedWeights(-1)).toThrow(/weightDecay/);
    expect(() => scaleByLearningRate(NaN)).toThrow(/lr/);
    expect(() => parameterGroups([])).toThrow(/groups/);
  });
});
