import { join } from 'node:path';
import { tf, Rng } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';
import { randomDirection, snapshot, curve1d, surface2d, saveSurface, type DirectionNormalization, type LandscapeProblem } from '@descent/landscape';
import { writeFileAtomic } from '@descent/train';
import type { Analysis } from '../analyses';

interface LandscapeConfig {
  dims: 1 | 2;
  grid: number;
  range: number;
  normalization: DirectionNormalization;
  samples: number;
}

/**
 * A 1-D or 2-D slice of the loss around the trained weights along filter-normalised random
 * directions (Li et al. 2018; @descent/landscape). The 2-D surface is saved as
 * `<name>-surface.json/.bin` (saveSurface), which the topology and wavelet analyses read.
 */
export const landscapeAnalysis = definePlugin<'analysis', LandscapeConfig>({
  id: 'landscape',
  kind: 'analysis',
  version: '0.1.0',
  description: 'loss along 1 or 2 filter-normalised random directions around the trained weights',
  defaults: { dims: 2, grid: 21, range: 1, normalization: 'filter', samples: 256 },
  schema: schema.object({
    dims: schema.enum([1, 2] as const, { description: '1: a curve, 2: a surface' }),
    grid: schema.integer({ min: 2, max: 401, description: 'points per axis' }),
    range: schema.number({ min: 0, exclusiveMin: true, description: 'coefficients from −range to range' }),
    normalization: schema.enum(['filter', 'layer', 'none'] as const, { description: 'direction normalisation' }),
    samples: schema.integer({ min: 1, description: 'first n test examples (one batch)' }),
  }),
  create: (config): Analysis => ({
    id: 'landscape',
    async run(ctx) {
      const model = await ctx.model();
      const { inputs, labels } = await ctx.samples(config.samples);
      const problem: LandscapeProblem = { model, inputs, labels };
      const theta = snapshot(problem);
      const rng = new Rng(`${ctx.seed}:landscape`);
      const d1 = randomDirection(theta, { rng, normalization: config.normalization });
      const d2 = config.dims === 2 ? randomDirection(theta, { rng, normalization: config.normalization }) : undefined;
      try {
        const range: [number, number] = [-config.range, config.range];
        if (!d2) {
          const c = curve1d(problem, d1, { range, points: config.grid, theta });
          const file = `${ctx.name}-curve.json`;
          writeFileAtomic(join(ctx.outDir, file), JSON.stringify({ format: 1, alphas: c.alphas, loss: c.loss, accuracy: c.accuracy }, null, 2));
          const i = c.loss.indexOf(Math.min(...c.loss));
          ctx.log(`curve of ${config.grid} points; minimum ${c.loss[i].toFixed(4)} at α = ${c.alphas[i].toFixed(3)}`);
          return { dims: 1, file, alphas: c.alphas, loss: c.loss, accuracy: c.accuracy, minLoss: c.loss[i], argmin: c.alphas[i], centreLoss: c.loss[Math.floor(c.loss.length / 2)] };
        }
        const s = surface2d(problem, [d1, d2], { xRange: range, xPoints: config.grid, theta });
        const base = `${ctx.name}-surface`;
        saveSurface(ctx.outDir, base, s, { analysis: 'landscape', samples: inputs.shape[0], normalization: config.normalization });
        let min = Infinity;
        let at = 0;
        s.loss.forEach((v, k) => {
          if (v < min) [min, at] = [v, k];
        });
        const argmin = { x: s.x[at % s.x.length], y: s.y[Math.floor(at / s.x.length)] };
        ctx.log(`${config.grid}×${config.grid} surface; minimum ${min.toFixed(4)} at (${argmin.x.toFixed(3)}, ${argmin.y.toFixed(3)})`);
        const centre = s.loss[Math.floor(s.y.length / 2) * s.x.length + Math.floor(s.x.length / 2)];
        return { dims: 2, file: `${base}.json`, x: s.x, y: s.y, minLoss: min, argmin, centreLoss: centre };
      } finally {
        tf.dispose([...Object.values(theta), ...Object.values(d1), ...(d2 ? Object.values(d2) : [])]);
      }
    },
  }),
});
