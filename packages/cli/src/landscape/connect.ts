import { join } from 'node:path';
import { tf, type GradientTransform } from '@descent/tensor';
import { writeFileAtomic } from '@descent/train';
import { connectModes } from '@descent/landscape';
import type { OptionSpec } from '../args';
import { loadRegistry } from '../builtins';
import { distribute } from '../plugin-options';
import { UsageError } from '../errors';
import { intOpt, loadProblem, type LandscapeContext } from './context';
import { checkpointWeights, openRun, pickCheckpoint, loadSamples } from './run-folder';
import { panels, writeSvg } from './plots';

export const CONNECT_OPTIONS: Record<string, OptionSpec> = {
  optimizer: { type: 'string', description: 'optimizer plugin of the control point (its options follow, e.g. --lr 1e-3)', default: 'adam', value: '<id>' },
  epochs: { type: 'string', description: 'passes over the training examples', default: '5', value: '<n>' },
  'batch-size': { type: 'string', description: 'batch size (one t ~ U(0, 1) per batch)', default: '128', value: '<n>' },
  'train-samples': { type: 'string', description: 'first n training examples the curve is trained on', default: '4096', value: '<n>' },
  samples: { type: 'string', description: 'first n test images the paths are evaluated on', default: '256', value: '<n>' },
  points: { type: 'string', description: 'values of t on each path', default: '21', value: '<n>' },
  seed: { type: 'string', description: 'seed of the batch order and the t samples', default: '0', value: '<n>' },
};

/** `descent landscape connect`: a trained Bézier curve between two minima against the straight line. */
export async function runConnect(ctx: LandscapeContext): Promise<Record<string, unknown>> {
  if (ctx.positionals.length !== 2) throw new UsageError('connect takes two run folders (two minima of the same model)');
  const { registry } = await loadRegistry();
  const plugin = registry.get(String(ctx.values.optimizer), 'optimizer');
  const config = distribute(ctx.extra, { optimizer: plugin }).optimizer;
  const transform = plugin.create(config) as GradientTransform<any>;
  const lp = await loadProblem(ctx, ctx.positionals[0], { samples: intOpt(ctx, 'samples', 1) });
  const train = await loadSamples(lp.run.config, { split: 'train', samples: intOpt(ctx, 'train-samples', 1), dataDir: ctx.values['data-dir'] as string | undefined });
  try {
    const runB = openRun(ctx.positionals[1]);
    const ckB = pickCheckpoint(runB, 'latest');
    const [theta1, theta2] = await checkpointWeights(lp.problem, [lp.checkpoint, ckB]);
    ctx.log(`connect: epoch ${lp.checkpoint.epoch} of ${lp.run.dir} ↔ epoch ${ckB.epoch} of ${runB.dir}; ${plugin.id} ${JSON.stringify(plugin.resolveConfig(config))} on ${train.inputs.shape[0]} training examples`);
    const t0 = performance.now();
    const r = connectModes(lp.problem, theta1, theta2, {
      optimizer: transform,
      epochs: intOpt(ctx, 'epochs', 1),
      batchSize: intOpt(ctx, 'batch-size', 1),
      seed: intOpt(ctx, 'seed', 0),
      data: { inputs: train.inputs, labels: train.labels },
      points: intOpt(ctx, 'points', 3),
      onEpoch: (e, loss) => ctx.log(`  epoch ${e}: mean loss on the curve ${loss.toFixed(4)}`),
    });
    const seconds = (performance.now() - t0) / 1000;
    tf.dispose([...Object.values(theta1), ...Object.values(theta2), ...Object.values(r.control)]);
    const out = ctx.outDir(lp.run.dir);
    const rows = r.line.alphas.flatMap((t, i) => [
      { t, loss: r.line.loss[i], accuracy: r.line.accuracy[i], path: 'straight line' },
      { t, loss: r.curve.loss[i], accuracy: r.curve.accuracy[i], path: 'Bézier curve (trained)' },
    ]);
    const svg = await writeSvg(out, 'connect', panels('Mode connectivity: straight line vs trained Bézier curve', [
      { title: 'Test loss along the path', x: { field: 't', title: 't' }, y: { field: 'loss', title: 'loss' }, series: { field: 'path', title: 'Path' }, data: rows },
      { title: 'Test accuracy along the path', x: { field: 't', title: 't' }, y: { field: 'accuracy', title: 'accuracy', format: '.0%' }, series: { field: 'path', title: 'Path' }, data: rows },
    ], 2));
    const result = {
      endpoints: [{ run: lp.run.dir, epoch: lp.checkpoint.epoch }, { run: runB.dir, epoch: ckB.epoch }],
      optimizer: { id: plugin.id, config: plugin.resolveConfig(config) },
      history: r.history,
      line: r.line,
      curve: r.curve,
      lineMax: r.lineMax,
      curveMax: r.curveMax,
      lineBarrier: r.lineBarrier,
      curveBarrier: r.curveBarrier,
      seconds,
    };
    const json = join(out, 'connect.json');
    writeFileAtomic(json, JSON.stringify(result, null, 2));
    return { summary: `connect: highest loss ${r.lineMax.toFixed(4)} on the line (barrier ${r.lineBarrier.toFixed(4)}), ${r.curveMax.toFixed(4)} on the curve (barrier ${r.curveBarrier.toFixed(4)})`, files: [json, svg], ...result };
  } finally {
    tf.dispose([train.inputs, train.labels]);
    lp.dispose();
  }
}
