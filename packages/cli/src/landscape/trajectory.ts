import { join } from 'node:path';
import { tf } from '@descent/tensor';
import { writeFileAtomic } from '@descent/train';
import { trajectoryPca, tsne, flattenParams, layoutOf } from '@descent/landscape';
import { scatter } from '@descent/report';
import type { OptionSpec } from '../args';
import { UsageError } from '../errors';
import { intOpt, numOpt, type LandscapeContext } from './context';
import { buildRunModel, checkpointWeights, loadSamples, openRun } from './run-folder';
import { writeSvg } from './plots';

export const TRAJECTORY_OPTIONS: Record<string, OptionSpec> = {
  perplexity: { type: 'string', description: 't-SNE perplexity, below the number of checkpoints (the book: 1)', default: '1', value: '<p>' },
  iterations: { type: 'string', description: 't-SNE iterations (scikit-learn: 1000)', default: '1000', value: '<n>' },
};

/** `descent landscape trajectory`: PCA(2) and t-SNE(2) of the flattened weights at each checkpoint. */
export async function runTrajectory(ctx: LandscapeContext): Promise<Record<string, unknown>> {
  const runs = ctx.positionals.map(openRun);
  const points = runs.flatMap((run, r) => run.checkpoints.map((c) => ({ run: r, dir: run.dir, checkpoint: c })));
  if (points.length < 3) {
    throw new UsageError(`a trajectory needs at least 3 checkpoints; found ${points.length} in ${ctx.positionals.join(', ')}. (\`descent train\` keeps the newest 2 by default: give several runs, or train with --keep-checkpoints all)`);
  }
  const perplexity = numOpt(ctx, 'perplexity', (p) => p > 0 && p < points.length, `a number in (0, ${points.length}) (below the number of checkpoints)`);
  const iterations = intOpt(ctx, 'iterations', 1);
  // Only the shapes matter here: the model is a container for each checkpoint's weights.
  const samples = await loadSamples(runs[0].config, { split: 'test', samples: 1, dataDir: ctx.values['data-dir'] as string | undefined });
  const model = buildRunModel(runs[0].config, samples);
  const problem = { model, inputs: samples.inputs, labels: samples.labels };
  let flat: Float32Array[];
  try {
    const maps = await checkpointWeights(problem, points.map((p) => p.checkpoint));
    const layout = layoutOf(maps[0]);
    flat = maps.map((m) => flattenParams(m, layout));
    maps.forEach((m) => tf.dispose(Object.values(m)));
  } finally {
    model.dispose();
    tf.dispose([samples.inputs, samples.labels]);
  }
  ctx.log(`trajectory: ${points.length} checkpoints × ${flat[0].length.toLocaleString('en')} weights`);
  let t0 = performance.now();
  const pca = trajectoryPca(flat, { components: 2 });
  const pcaSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const embedded = tsne(flat, { perplexity, iterations });
  const tsneSeconds = (performance.now() - t0) / 1000;
  ctx.log(`pca: explained variance ${pca.explainedVarianceRatio.map((v) => (100 * v).toFixed(1) + ' %').join(', ')} (${pcaSeconds.toFixed(1)} s); t-SNE: KL ${embedded.kl.toFixed(4)} after ${embedded.iterations + 1} iterations (${tsneSeconds.toFixed(1)} s)`);
  const out = ctx.outDir(runs[0].dir);
  const group = (i: number) => (runs.length > 1 ? `run ${points[i].run + 1}` : 'training path');
  const label = (i: number) => `epoch ${points[i].checkpoint.epoch}${runs.length > 1 ? ` (${points[i].dir})` : ''}`;
  const files = [
    await writeSvg(out, 'trajectory-pca', scatter({ title: 'Weights after each epoch — PCA', subtitle: `explained variance ${pca.explainedVarianceRatio.map((v) => (100 * v).toFixed(1) + ' %').join(', ')}`, path: true, x: { title: 'PC 1' }, y: { title: 'PC 2' }, points: pca.coordinates.map(([x, y], i) => ({ x, y, group: group(i), label: label(i) })) })),
    await writeSvg(out, 'trajectory-tsne', scatter({ title: `Weights after each epoch — t-SNE (perplexity ${perplexity})`, subtitle: `KL ${embedded.kl.toFixed(4)}`, path: true, x: { title: 't-SNE 1' }, y: { title: 't-SNE 2' }, points: embedded.embedding.map(([x, y], i) => ({ x, y, group: group(i), label: label(i) })) })),
  ];
  const result = {
    checkpoints: points.map((p) => ({ run: p.dir, epoch: p.checkpoint.epoch })),
    weights: flat[0].length,
    pca: { coordinates: pca.coordinates, explainedVarianceRatio: pca.explainedVarianceRatio, seconds: pcaSeconds },
    tsne: { perplexity, embedding: embedded.embedding, kl: embedded.kl, iterations: embedded.iterations + 1, seconds: tsneSeconds },
  };
  const json = join(out, 'trajectory.json');
  writeFileAtomic(json, JSON.stringify(result, null, 2));
  return { summary: `trajectory: ${points.length} checkpoints; PCA explains ${(100 * (pca.explainedVarianceRatio[0] + pca.explainedVarianceRatio[1])).toFixed(1)} % in 2 components; t-SNE KL ${embedded.kl.toFixed(4)}`, files: [json, ...files], ...result };
}
