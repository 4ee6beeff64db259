import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, initContext, toLayersInitializer, Rng } from '@descent/tensor';
import { ConfigError, type Plugin } from '@descent/registry';

export interface InitializerConformanceOptions {
  plugin: Plugin<'initializer'>;
  config?: Record<string, unknown>;
  /** Configs that must be rejected with a ConfigError. */
  invalid: Array<Record<string, unknown>>;
  /** Shapes to fill (default dense and conv kernels). */
  shapes?: number[][];
}

/** The suite every initializer plugin runs: shapes, determinism per seed, no leaks, layers use, bad configs. */
export function initializerConformance(opts: InitializerConformanceOptions): void {
  const { plugin } = opts;
  const config = opts.config ?? {};
  const shapes = opts.shapes ?? [
    [64, 32],
    [3, 3, 8, 16],
  ];
  describe(`${plugin.id}: initializer conformance`, () => {
    beforeAll(async () => {
      await useBackend('wasm');
    });

    it('fills every shape with finite float32 values', () => {
      const init = plugin.create(config);
      for (const shape of shapes) {
        const t = init(shape, initContext(shape, { rng: new Rng(1) }));
        expect(t.shape).toEqual(shape);
        expect(t.dtype).toBe('float32');
        expect(t.dataSync().every(Number.isFinite)).toBe(true);
        t.dispose();
      }
    });

    it('is reproducible from the seed and differs across seeds', () => {
      const init = plugin.create(config);
      const shape = shapes[0];
      const draw = (seed: number) => {
        const t = init(shape, initContext(shape, { rng: new Rng(seed) }));
        const v = Array.from(t.dataSync());
        t.dispose();
        return v;
      };
      expect(draw(7)).toEqual(draw(7));
      expect(draw(7)).not.toEqual(draw(8));
    });

    it('does not leak tensors', () => {
      const init = plugin.create(config);
      const shape = shapes[0];
      const warm = init(shape, initContext(shape));
      warm.dispose();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) init(shape, initContext(shape, { rng: new Rng(i) })).dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('works as a tf.layers kernelInitializer', () => {
      const layer = tf.layers.dense({ units: 8, inputShape: [16], kernelInitializer: toLayersInitializer(plugin.create(config), { rng: 3 }) as never });
      const model = tf.sequential({ layers: [layer] });
      const kernel = model.getWeights()[0];
      expect(kernel.shape).toEqual([16, 8]);
      expect(kernel.dataSync().some((v) => v !== 0)).toBe(true);
      model.dispose();
    });

    it('rejects invalid configs with a ConfigError', () => {
      expect(opts.invalid.length).toBeGreaterThan(0);
      for (const bad of opts.invalid) expect(() => plugin.create(bad), JSON.stringify(bad)).toThrow(ConfigError);
    });
  });
}
