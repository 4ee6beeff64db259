import { describe, it, expect, beforeAll } from 'vitest';
import {
  tf,
  useBackend,
  step,
  toTfOptimizer,
  flattenState,
  unflattenState,
  stateBytes,
  stateTensors,
  NonFiniteGradientError,
  Rng,
  setNativeFusion,
  type ParamMap,
  type StateTree,
  type GradientTransform,
} from '@descent/tensor';
import { ConfigError, type Plugin } from '@descent/registry';
import { loadGolden, type GoldenTrajectory } from './golden';
import { assertClose } from './compare';
import { train } from '@descent/train';
import { toyClassification, toyMlp, toyLoss } from './toy';

export interface OptimizerConformanceOptions {
  plugin: Plugin<'optimizer'>;
  /** Config used by the generic checks (default: the plugin's defaults). */
  config?: Record<string, unknown>;
  /** Configs that must be rejected with a ConfigError. */
  invalid: Array<Record<string, unknown>>;
  /** Reference trajectories; `true` loads tools/golden/fixtures/optim/<id>.json. */
  golden?: GoldenTrajectory[] | true;
  rtol?: number;
  atol?: number;
  /** Expected optimizer-state bytes per parameter for a large dense parameter (e.g. Adam 8). */
  stateBytesPerParam?: number;
  /** Tolerance on stateBytesPerParam as a fraction (default 0.02; AdaFactor needs more). */
  stateBytesTolerance?: number;
  /** Epochs and minimum relative loss drop for the model.fit check. */
  fit?: { epochs?: number; minDrop?: number; config?: Record<string, unknown> };
  /** Epochs and minimum relative loss drop for the custom-loop check (@descent/train's train()); config defaults to fit's. */
  loop?: { epochs?: number; minDrop?: number; config?: Record<string, unknown> };
  /** Extras passed at every step (e.g. a Hessian diagonal), built from the params. */
  extras?: (params: ParamMap, rng: Rng) => Record<string, unknown>;
}

function fromFixture(params: GoldenTrajectory['params']): ParamMap {
  const out: ParamMap = {};
  for (const [name, t] of Object.entries(params)) out[name] = tf.tensor(t.values, t.shape, 'float32');
  return out;
}

function gradsAt(c: GoldenTrajectory, i: number): ParamMap {
  const out: ParamMap = {};
  for (const [name, values] of Object.entries(c.grads[i])) out[name] = tf.tensor(values, c.params[name].shape, 'float32');
  return out;
}

function dispose(map: ParamMap) {
  for (const t of Object.values(map)) t.dispose();
}

/** A few steps of a toy problem: random grads derived from a seeded stream. */
function run(transform: GradientTransform<any>, params: ParamMap, state: StateTree, steps: number, rng: Rng, extras?: OptimizerConformanceOptions['extras']) {
  let p = params;
  let s = state;
  for (let k = 0; k < steps; k++) {
    const grads: ParamMap = {};
    for (const [n, t] of Object.entries(p)) grads[n] = tf.tidy(() => tf.add(tf.mul(t, 0.1), rng.randomNormal(t.shape)));
    const ex = extras?.(p, rng);
    const r = step(transform, p, grads, s, ex);
    if (p !== params) dispose(p);
    dispose(grads);
    if (ex) for (const v of Object.values(ex)) if (v && typeof v === 'object') dispose(v as ParamMap);
    p = r.params;
    s = r.state;
  }
  return { params: p, state: s };
}

/**
 * The suite every optimizer plugin runs: golden trajectory, save/restore mid-run, no tensor
 * leaks, model.fit through toTfOptimizer, an MLP through @descent/train's custom loop, invalid
 * configs, NaN/Inf gradients.
 */
export function optimizerConformance(opts: OptimizerConformanceOptions): void {
  const { plugin } = opts;
  const config = opts.config ?? {};
  const rtol = opts.rtol ?? 1e-4;
  const atol = opts.atol ?? 1e-6;

  describe(`${plugin.id}: optimizer conformance`, () => {
    beforeAll(async () => {
      await useBackend('wasm');
    });

    if (opts.golden) {
      const cases = opts.golden === true ? loadGolden(plugin.id) : opts.golden;
      // Every case on both paths: the default one (fused native programs where @descent/native-blas
      // is active) and TensorFlow.js ops alone.
      const paths = [['default path', true], ['TensorFlow.js ops', false]] as const;
      it.each(paths.flatMap(([label, fused]) => cases.map((c) => [c.name, label, fused, c] as const)))(
        'matches the reference trajectory: %s (%s)',
        (_name, _label, fused, c) => {
          const previous = setNativeFusion(fused);
          try {
            const transform = plugin.create(c.config);
            let params = fromFixture(c.params);
            let state = transform.init(params);
            for (let i = 0; i < c.grads.length; i++) {
              const grads = gradsAt(c, i);
              const r = step(transform, params, grads, state);
              dispose(grads);
              dispose(params);
              params = r.params;
              state = r.state;
              for (const name of Object.keys(params)) assertClose(params[name].dataSync(), c.expected[i][name], { rtol, atol, label: `${c.name}, step ${i + 1}, ${name}` });
            }
            dispose(params);
            stateTensors(state).forEach((t) => t.dispose());
          } finally {
            setNativeFusion(previous);
          }
        },
      );
    }

    it('gives the same steps fused and as TensorFlow.js ops', () => {
      const trajectory = (fused: boolean) => {
        const previous = setNativeFusion(fused);
        try {
          const transform = plugin.create(config);
          // Sizes past one native chunk (256 floats), not a multiple of it.
          const rng = new Rng(3);
          const init: ParamMap = { 'dense/kernel': rng.randomNormal([40, 13]), 'dense/bias': rng.randomNormal([13]) };
          const r = run(transform, init, transform.init(init), 5, new Rng(4), opts.extras);
          const out = Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, Array.from(v.dataSync())]));
          dispose(init);
          dispose(r.params);
          stateTensors(r.state).forEach((t) => t.dispose());
          return out;
        } finally {
          setNativeFusion(previous);
        }
      };
      const fused = trajectory(true);
      const ops = trajectory(false);
      for (const name of Object.keys(ops)) assertClose(fused[name], ops[name], { rtol: 1e-6, atol: 1e-7, label: `${plugin.id} fused vs ops, ${name}` });
    });

    // updateAndApply is an optional fast path: compared only where the transform has one.
    it.runIf(plugin.create(config).updateAndApply !== undefined)('updateAndApply gives what update then adding gives', () => {
      const trajectory = (fast: boolean) => {
        const transform = plugin.create(config);
        if (!fast) delete transform.updateAndApply; // step() then takes update + add
        const rng = new Rng(8);
        const init: ParamMap = { 'dense/kernel': rng.randomNormal([40, 13]), 'dense/bias': rng.randomNormal([13]) };
        const r = run(transform, init, transform.init(init), 5, new Rng(9), opts.extras);
        const out = Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, Array.from(v.dataSync())]));
        dispose(init);
        dispose(r.params);
        stateTensors(r.state).forEach((t) => t.dispose());
        return out;
      };
      const fast = trajectory(true);
      const plain = trajectory(false);
      for (const name of Object.keys(plain)) expect(fast[name], name).toEqual(plain[name]);
    });

    it('rejects invalid configs with a ConfigError', () => {
      expect(opts.invalid.length).toBeGreaterThan(0);
      for (const bad of opts.invalid) expect(() => plugin.create(bad), JSON.stringify(bad)).toThrow(ConfigError);
    });

    it('restores a saved state mid-run and continues identically', () => {
      const rng = new Rng(11);
      const init: ParamMap = { 'dense/kernel': rng.randomNormal([5, 3]), 'dense/bias': rng.randomNormal([3]) };
      const t1 = plugin.create(config);
      const a = run(t1, init, t1.init(init), 6, new Rng(1), opts.extras);
      // Interrupted: 3 steps, serialise, rebuild from a new plugin instance, 3 more steps.
      const t2 = plugin.create(config);
      const rngB = new Rng(1);
      const half = run(t2, init, t2.init(init), 3, rngB, opts.extras);
      const saved = flattenState(half.state);
      stateTensors(half.state).forEach((t) => t.dispose());
      const restored = unflattenState(saved);
      saved.forEach((e) => e.tensor.dispose());
      const t3 = plugin.create(config);
      const b = run(t3, half.params, restored, 3, rngB, opts.extras);
      for (const n of Object.keys(init)) expect(Array.from(b.params[n].dataSync())).toEqual(Array.from(a.params[n].dataSync()));
      for (const m of [init, a.params, half.params, b.params]) dispose(m);
      for (const s of [a.state, b.state]) stateTensors(s).forEach((t) => t.dispose());
    });

    it('does not leak tensors across steps', () => {
      const rng = new Rng(3);
      const transform = plugin.create(config);
      let params: ParamMap = { w: rng.randomNormal([4, 4]), b: rng.randomNormal([4]) };
      let state = transform.init(params);
      const warm = run(transform, params, state, 2, rng, opts.extras);
      dispose(params);
      params = warm.params;
      state = warm.state;
      const before = tf.memory().numTensors;
      const r = run(transform, params, state, 5, rng, opts.extras);
      // The state was replaced one for one; the only new live tensors are the returned params.
      expect(tf.memory().numTensors).toBe(before + Object.keys(r.params).length);
      dispose(params);
      dispose(r.params);
      stateTensors(r.state).forEach((t) => t.dispose());
    });

    if (opts.stateBytesPerParam !== undefined) {
      it(`holds about ${opts.stateBytesPerParam} bytes of state per parameter`, () => {
        const transform = plugin.create(config);
        const params: ParamMap = { w: tf.zeros([256, 128]) };
        const grads: ParamMap = { w: tf.ones([256, 128]) };
        const r = step(transform, params, grads, transform.init(params), opts.extras?.(params, new Rng(0)) as never);
        const perParam = stateBytes(r.state) / 256 / 128;
        expect(Math.abs(perParam - opts.stateBytesPerParam!)).toBeLessThanOrEqual((opts.stateBytesTolerance ?? 0.02) * Math.max(1, opts.stateBytesPerParam!));
        dispose(params);
        dispose(grads);
        dispose(r.params);
        stateTensors(r.state).forEach((t) => t.dispose());
      });
    }

    it('trains a tfjs-layers model through toTfOptimizer in model.fit', async () => {
      const rng = new Rng(5);
      const x = rng.randomNormal([256, 8]);
      const wTrue = rng.randomNormal([8, 1]);
      const y = tf.tidy(() => tf.matMul(x, wTrue).add(0.1));
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 16, inputShape: [8], activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
      const optimizer = toTfOptimizer(plugin.create(opts.fit?.config ?? config));
      model.compile({ optimizer, loss: 'meanSquaredError' });
      const first = (model.evaluate(x, y) as tf.Scalar);
      const before = first.dataSync()[0];
      first.dispose();
      await model.fit(x, y, { epochs: opts.fit?.epochs ?? 8, batchSize: 32, verbose: 0, shuffle: false });
      const last = model.evaluate(x, y) as tf.Scalar;
      const after = last.dataSync()[0];
      last.dispose();
      expect(after).toBeLessThan(before * (1 - (opts.fit?.minDrop ?? 0.1)));
      // Weights round trip: a fresh optimizer given getWeights() continues identically.
      const weights = await optimizer.getWeights();
      const clone = toTfOptimizer(plugin.create(opts.fit?.config ?? config));
      await clone.setWeights(weights);
      expect(clone.iterations).toBe(optimizer.iterations);
      weights.forEach((w) => w.tensor.dispose());
      optimizer.dispose();
      clone.dispose();
      model.dispose();
      tf.dispose([x, wTrue, y]);
    });

    it("trains an MLP through @descent/train's custom loop (train()) without leaking tensors", async () => {
      const data = toyClassification(240, 1);
      const before = tf.memory().numTensors;
      const model = toyMlp(7, { prefix: `conf_${plugin.id.replace(/[^a-z0-9]/gi, '_')}_` });
      const initial = toyLoss(model, data);
      const result = await train({
        model,
        optimizer: plugin.create(opts.loop?.config ?? opts.fit?.config ?? config),
        train: data,
        epochs: opts.loop?.epochs ?? 6,
        batchSize: 32,
        seed: 3,
        checkpoint: false,
        progress: 'none',
      });
      expect(result.status).toBe('completed');
      const final = toyLoss(model, data);
      expect(final).toBeLessThan(initial * (1 - (opts.loop?.minDrop ?? 0.1)));
      result.optimizer.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    });

    it('raises a clear error on NaN/Inf gradients, or skips the step when asked', () => {
      const v = tf.variable(tf.tensor([1, 2, 3]), true, `conf_${plugin.id}_nan_${Date.now()}`);
      const bad = tf.tensor([0.1, NaN, 0.2]);
      const strict = toTfOptimizer(plugin.create(config));
      expect(() => strict.applyGradients({ [v.name]: bad })).toThrow(NonFiniteGradientError);
      expect(Array.from(v.dataSync())).toEqual([1, 2, 3]);
      const lenient = toTfOptimizer(plugin.create(config), { nonFinite: 'skip' });
      lenient.applyGradients([{ name: v.name, tensor: tf.tensor([Infinity, 0, 0]) }]);
      expect(lenient.skippedSteps).toBe(1);
      expect(Array.from(v.dataSync())).toEqual([1, 2, 3]);
      strict.dispose();
      lenient.dispose();
      tf.dispose([v, bad]);
    });
  });
}
