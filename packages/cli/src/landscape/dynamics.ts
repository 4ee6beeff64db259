import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '@descent/tensor';
import { writeFileAtomic } from '@descent/train';
import { trainingDynamics, type NormKind } from '@descent/landscape';
import type { OptionSpec } from '../args';
import { UsageError } from '../errors';
import { choiceOpt, intOpt, loadProblem, type LandscapeContext } from './context';
import { checkpointWeights } from './run-folder';
import { panels, writeSvg } from './plots';

export const DYNAMICS_OPTIONS: Record<string, OptionSpec> = {
  norm: { type: 'string', description: "global (√Σ‖w‖² over all weights) or book (the book's sum of per-tensor norms)", default: 'global', value: '<kind>' },
  split: { type: 'string', description: 'data the loss and gradient are taken on: train or test', default: 'train', value: '<split>' },
  samples: { type: 'string', description: 'first n examples of the split', default: '2048', value: '<n>' },
};

/** `descent landscape dynamics`: the book's per-epoch training-dynamics panels from checkpoints. */
export async function runDynamics(ctx: LandscapeContext): Promise<Record<string, unknown>> {
  if (ctx.positionals.length !== 1) throw new UsageError('dynamics takes one run folder');
  const norm = choiceOpt(ctx, 'norm', ['global', 'book'] as const);
  const split = choiceOpt(ctx, 'split', ['train', 'test'] as const);
  const lp = await loadProblem(ctx, ctx.positionals[0], { split, samples: intOpt(ctx, 'samples', 1) });
  try {
    const cks = lp.run.checkpoints;
    const points = await checkpointWeights(lp.problem, cks);
    const kind: NormKind = norm === 'book' ? 'sum' : 'global';
    const rows = trainingDynamics(lp.problem, points, { norm: kind, epochs: cks.map((c) => c.epoch) });
    points.forEach((p) => tf.dispose(Object.values(p)));
    // The loop's own per-epoch records, when the checkpoint kept them (mean over batches during training).
    const history = (JSON.parse(readFileSync(join(cks[cks.length - 1].path, 'meta.json'), 'utf8')).history ?? []) as Array<{ epoch: number; trainLoss: number; gradNorm: number }>;
    const out = ctx.outDir(lp.run.dir);
    const normTitle = norm === 'book' ? 'Σ‖·‖ per tensor' : 'global norm';
    const chart = (field: string, title: string) => ({ title, x: { field: 'epoch', title: 'epoch' }, y: { field, title }, data: rows.filter((r) => (r as unknown as Record<string, unknown>)[field] !== null) as unknown as Array<Record<string, unknown>> });
    const svg = await writeSvg(out, 'dynamics', panels(`Training dynamics from ${cks.length} checkpoints (${lp.samples.inputs.shape[0]} ${split} examples; ${normTitle})`, [
      chart('loss', 'loss'),
      chart('gradNorm', 'gradient norm'),
      chart('paramChange', 'change from previous epoch'),
      chart('paramChangeFromStart', 'change from the first checkpoint'),
      chart('weightNorm', 'weight norm'),
      chart('lossImprovement', 'loss improvement'),
    ]));
    const result = { run: lp.run.dir, norm, split, samples: lp.samples.inputs.shape[0], epochs: rows, history: history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, gradNorm: h.gradNorm })) };
    const json = join(out, 'dynamics.json');
    writeFileAtomic(json, JSON.stringify(result, null, 2));
    const last = rows[rows.length - 1];
    if (cks.length < 3) ctx.log(`note: only ${cks.length} checkpoints (\`descent train\` keeps the newest 2)`);
    return { summary: `dynamics: ${rows.length} checkpoints; final loss ${last.loss.toFixed(4)}, gradient norm ${last.gradNorm.toFixed(4)}, weight norm ${last.weightNorm.toFixed(3)}`, files: [json, svg], ...result };
  } finally {
    lp.dispose();
  }
}
