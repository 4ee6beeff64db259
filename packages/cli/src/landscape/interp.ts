import { interpolate } from '@descent/landscape';
import { tf } from '@descent/tensor';
import { writeFileAtomic } from '@descent/train';
import { join } from 'node:path';
import type { OptionSpec } from '../args';
import { UsageError } from '../errors';
import { intOpt, loadProblem, pairOpt, type LandscapeContext } from './context';
import { openRun, pickCheckpoint, checkpointWeights } from './run-folder';
import { panels, writeSvg } from './plots';

export const INTERP_OPTIONS: Record<string, OptionSpec> = {
  from: { type: 'string', description: 'checkpoint of θ₁: epoch number, first or latest (one run: default first)', value: '<epoch>' },
  to: { type: 'string', description: 'checkpoint of θ₂ (default latest; of the second run if one is given)', value: '<epoch>' },
  range: { type: 'string', description: 'α from,to', default: '-0.5,1.5', value: '<a,b>' },
  points: { type: 'string', description: 'number of α values', default: '50', value: '<n>' },
  samples: { type: 'string', description: 'first n test images', default: '256', value: '<n>' },
};

/** `descent landscape interp`: loss and accuracy along θ(α) = (1−α)θ₁ + αθ₂. */
export async function runInterp(ctx: LandscapeContext): Promise<Record<string, unknown>> {
  const [runA, runB] = ctx.positionals;
  if (ctx.positionals.length > 2) throw new UsageError('interp takes one run (two of its checkpoints) or two runs');
  const range = pairOpt(ctx, 'range');
  if (range[0] >= range[1]) throw new UsageError(`--range must be increasing, got "${ctx.values.range}"`);
  const points = intOpt(ctx, 'points', 2);
  const first = await loadProblem(ctx, runA, { checkpoint: (ctx.values.from as string) ?? (runB ? 'latest' : 'first'), samples: intOpt(ctx, 'samples', 1) });
  try {
    const other = runB ? openRun(runB) : first.run;
    const toCk = pickCheckpoint(other, ctx.values.to as string | undefined);
    const fromCk = first.checkpoint;
    if (!runB && toCk.path === fromCk.path) throw new UsageError(`--from and --to are the same checkpoint (epoch ${toCk.epoch}); the run has epochs ${first.run.checkpoints.map((c) => c.epoch).join(', ')}`);
    const [theta1, theta2] = await checkpointWeights(first.problem, [fromCk, toCk]);
    const curve = interpolate(first.problem, theta1, theta2, { range, points });
    tf.dispose([...Object.values(theta1), ...Object.values(theta2)]);
    const out = ctx.outDir(first.run.dir);
    const from = { run: first.run.dir, epoch: fromCk.epoch };
    const to = { run: other.dir, epoch: toCk.epoch };
    const result = { from, to, samples: first.samples.inputs.shape[0], ...curve };
    const json = join(out, 'interp.json');
    writeFileAtomic(json, JSON.stringify(result, null, 2));
    const rows = curve.alphas.map((a, i) => ({ alpha: a, loss: curve.loss[i], accuracy: curve.accuracy[i] }));
    const svg = await writeSvg(out, 'interp', panels(`Linear interpolation: epoch ${fromCk.epoch} (α = 0) → epoch ${toCk.epoch} (α = 1)`, [
      { title: 'Loss', x: { field: 'alpha', title: 'α' }, y: { field: 'loss', title: 'loss' }, data: rows },
      { title: 'Accuracy', x: { field: 'alpha', title: 'α' }, y: { field: 'accuracy', title: 'accuracy', format: '.0%' }, data: rows },
    ], 2));
    const at = (a: number) => curve.loss[curve.alphas.reduce((b, v, i) => (Math.abs(v - a) < Math.abs(curve.alphas[b] - a) ? i : b), 0)];
    return { summary: `interp: loss ${at(0).toFixed(4)} at α≈0, ${at(1).toFixed(4)} at α≈1, max ${Math.max(...curve.loss).toFixed(4)} on α ∈ [${range}]`, files: [json, svg], ...result };
  } finally {
    first.dispose();
  }
}
