import { tf, Rng, type ParamMap } from '@descent/tensor';
import {
  hessianDirections,
  randomDirection,
  differenceDirection,
  pcaDirections,
  surface2dParallel,
  saveSurface,
  defaultExecutor,
  snapshot,
  moveTo,
  lossTensor,
  variablesOf,
  type Surface,
  type DirectionNormalization,
} from '@descent/landscape';
import type { ScatterPoint } from '@descent/report';
import { join } from 'node:path';
import { writeFileAtomic } from '@descent/train';
import type { OptionSpec } from '../args';
import { UsageError } from '../errors';
import { choiceOpt, intOpt, loadProblem, numOpt, type LandscapeContext, type LoadedProblem } from './context';
import { checkpointWeights, pickCheckpoint } from './run-folder';
import { surfaceContour, surfaceMinimum, writeSvg } from './plots';
import { renderSurfaceReport, type SavedSurface } from './surface-report';

export const SURFACE_OPTIONS: Record<string, OptionSpec> = {
  directions: { type: 'string', description: 'random (filter-normalised, Li et al.), hessian (top eigenvectors, in pairs), pca (of the run\'s checkpoints, path drawn), difference (θ_latest − θ_from, and a random one)', default: 'random', value: '<kind>' },
  top: { type: 'string', description: 'hessian: how many eigenvectors (even; one surface per pair)', default: '2', value: '<n>' },
  grid: { type: 'string', description: 'points per axis', default: '40', value: '<n>' },
  range: { type: 'string', description: 'λ from −r to r on both axes (default: 0.2 for hessian, the path\'s extent +10 % for pca, 1 otherwise)', value: '<r>' },
  samples: { type: 'string', description: 'first n images of --split', default: '256', value: '<n>' },
  split: { type: 'string', description: 'data the loss is evaluated on: test (the book) or train', default: 'test', value: '<split>' },
  checkpoint: { type: 'string', description: 'centre of the surface: epoch number, first or latest', default: 'latest', value: '<epoch>' },
  from: { type: 'string', description: 'difference: the checkpoint the first direction starts from', default: 'first', value: '<epoch>' },
  normalization: { type: 'string', description: 'random directions: filter, layer or none', default: 'filter', value: '<kind>' },
  'max-iterations': { type: 'string', description: 'hessian: power iterations per eigenvector (PyHessian: 100)', default: '100', value: '<n>' },
  tolerance: { type: 'string', description: 'hessian: relative change of λ that stops the iteration (PyHessian: 1e-3)', default: '1e-3', value: '<x>' },
  workers: { type: 'string', description: 'worker threads for the grid (1 = in this thread; default the available cores)', value: '<n>' },
  seed: { type: 'string', description: 'seed of random directions and of the power iteration', default: '0', value: '<n>' },
};

interface Plane {
  name: string;
  label: [string, string];
  directions: [ParamMap, ParamMap];
  path?: ScatterPoint[];
  eigenvalues?: [number, number];
  /** Hessian planes: the minimum of the quadratic model L + gᵀd + ½dᵀHd in the plane, −(g·vᵢ)/λᵢ. */
  predicted?: [number, number];
}

/** ⟨∇L(θ), vᵢ⟩ for each direction (on the problem's data). */
function gradientProjections(lp: LoadedProblem, directions: ParamMap[]): number[] {
  const { value, grads } = tf.variableGrads(() => lossTensor(lp.problem), variablesOf(lp.problem));
  const out = directions.map((d) => tf.tidy(() => tf.addN(Object.keys(d).map((n) => tf.sum(tf.mul(grads[n], d[n])))).dataSync()[0]));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

async function planes(ctx: LandscapeContext, lp: LoadedProblem, kind: string, seed: number): Promise<{ planes: Plane[]; info: Record<string, unknown> }> {
  const theta = snapshot(lp.problem);
  try {
    if (kind === 'hessian') {
      const top = intOpt(ctx, 'top', 2);
      if (top % 2) throw new UsageError(`--top must be even (the eigenvectors are used in pairs), got ${top}`);
      const t0 = performance.now();
      const h = hessianDirections(lp.problem, { top, maxIterations: intOpt(ctx, 'max-iterations', 1), tolerance: numOpt(ctx, 'tolerance', (x) => x >= 0, 'a number ≥ 0'), seed });
      const seconds = (performance.now() - t0) / 1000;
      ctx.log(`hessian: top ${top} eigenvalues ${h.values.map((v) => v.toFixed(4)).join(', ')} (${h.iterations.join(', ')} power iterations, ${seconds.toFixed(1)} s)`);
      const gv = gradientProjections(lp, h.directions);
      const out: Plane[] = [];
      for (let i = 0; i < top; i += 2) {
        out.push({
          name: `surface-v${i + 1}-v${i + 2}`,
          label: [`λ${i + 1} (eigenvector ${i + 1}, eigenvalue ${h.values[i].toFixed(3)})`, `λ${i + 2} (eigenvector ${i + 2}, eigenvalue ${h.values[i + 1].toFixed(3)})`],
          directions: [h.directions[i], h.directions[i + 1]],
          eigenvalues: [h.values[i], h.values[i + 1]],
          predicted: [-gv[i] / h.values[i], -gv[i + 1] / h.values[i + 1]],
        });
      }
      return { planes: out, info: { eigenvalues: h.values, iterations: h.iterations, hessianSeconds: seconds, gradientProjections: gv } };
    }
    if (kind === 'random') {
      const normalization = choiceOpt<DirectionNormalization>(ctx, 'normalization', ['filter', 'layer', 'none']);
      const rng = new Rng(seed);
      return { planes: [{ name: 'surface-random', label: ['α (random direction 1)', 'β (random direction 2)'], directions: [randomDirection(theta, { rng, normalization }), randomDirection(theta, { rng, normalization })] }], info: { normalization } };
    }
    if (kind === 'difference') {
      const from = pickCheckpoint(lp.run, ctx.values.from as string);
      if (from.path === lp.checkpoint.path) throw new UsageError(`--from is the centre checkpoint itself (epoch ${from.epoch}); pick another (${lp.run.checkpoints.map((c) => c.epoch).join(', ')})`);
      const [start] = await checkpointWeights(lp.problem, [from]);
      // Back to the centre's weights.
      moveTo(lp.problem, theta, [], []);
      const d1 = differenceDirection(start, theta);
      const d2 = randomDirection(theta, { rng: new Rng(seed) });
      tf.dispose(Object.values(start));
      return { planes: [{ name: `surface-difference-${from.epoch}-${lp.checkpoint.epoch}`, label: [`α (θ epoch ${lp.checkpoint.epoch} − θ epoch ${from.epoch}; α = −1 is epoch ${from.epoch})`, 'β (random direction)'], directions: [d1, d2], path: [{ x: 0, y: 0, group: `epoch ${lp.checkpoint.epoch}` }, { x: -1, y: 0, group: `epoch ${from.epoch}` }] }], info: { from: from.epoch } };
    }
    // pca: every checkpoint of the run up to the centre.
    const upTo = lp.run.checkpoints.filter((c) => c.epoch <= lp.checkpoint.epoch);
    if (upTo.length < 3) throw new UsageError(`--directions pca needs at least 3 checkpoints up to epoch ${lp.checkpoint.epoch}; ${lp.run.dir} has ${upTo.length} (descent train keeps the newest 2 unless given --keep-checkpoints all)`);
    const points = await checkpointWeights(lp.problem, upTo);
    moveTo(lp.problem, theta, [], []);
    const pca = pcaDirections(points);
    points.forEach((p) => tf.dispose(Object.values(p)));
    ctx.log(`pca: ${upTo.length} checkpoints, explained variance ${pca.explainedVarianceRatio.map((v) => (100 * v).toFixed(1) + ' %').join(', ')}`);
    const path = pca.path.map(([x, y], i) => ({ x, y, group: 'training path', label: `epoch ${upTo[i].epoch}` }));
    return { planes: [{ name: 'surface-pca', label: [`PC 1 (${(100 * pca.explainedVarianceRatio[0]).toFixed(1)} %)`, `PC 2 (${(100 * pca.explainedVarianceRatio[1]).toFixed(1)} %)`], directions: pca.directions, path }], info: { explainedVarianceRatio: pca.explainedVarianceRatio, path: pca.path, epochs: upTo.map((c) => c.epoch) } };
  } finally {
    tf.dispose(Object.values(theta));
  }
}

/** `descent landscape surface`: 2-D loss surfaces on worker threads, saved and plotted. */
export async function runSurface(ctx: LandscapeContext): Promise<Record<string, unknown>> {
  if (ctx.positionals.length !== 1) throw new UsageError('surface takes one run folder');
  const kind = choiceOpt(ctx, 'directions', ['random', 'hessian', 'pca', 'difference'] as const);
  const grid = intOpt(ctx, 'grid', 2);
  const given = ctx.values.range === undefined ? undefined : numOpt(ctx, 'range', (x) => x > 0, 'a number > 0');
  const workers = ctx.values.workers === undefined ? ctx.workers : intOpt(ctx, 'workers', 1);
  const seed = intOpt(ctx, 'seed', 0);
  const split = choiceOpt(ctx, 'split', ['test', 'train'] as const);
  const lp = await loadProblem(ctx, ctx.positionals[0], { checkpoint: ctx.values.checkpoint as string, samples: intOpt(ctx, 'samples', 1), split });
  const executor = defaultExecutor({ workers });
  try {
    const { planes: list, info } = await planes(ctx, lp, kind, seed);
    // PCA: a plane that holds the whole training path (its coordinates are in weight units).
    const extent = Math.max(0, ...list.flatMap((p) => (p.path ?? []).map((q) => Math.max(Math.abs(q.x), Math.abs(q.y)))));
    const r = given ?? (kind === 'hessian' ? 0.2 : kind === 'pca' ? Number((1.1 * extent).toPrecision(2)) : 1);
    const out = ctx.outDir(lp.run.dir);
    const files: string[] = [];
    const surfaces: Array<Record<string, unknown>> = [];
    const saved3d: SavedSurface[] = [];
    ctx.log(`grid: ${grid}×${grid}, λ ∈ [−${r}, ${r}], ${lp.samples.inputs.shape[0]} samples, on ${executor.name}${executor.concurrency > 1 ? ` (${executor.concurrency} workers)` : ''}`);
    for (const [k, plane] of list.entries()) {
      const t0 = performance.now();
      let s: Surface;
      try {
        s = await surface2dParallel(lp.problem, plane.directions, {
          xRange: [-r, r],
          xPoints: grid,
          executor,
          onProgress: (p) => {
            if (p.done % Math.max(1, Math.round(p.total / 8)) === 0 || p.done === p.total) ctx.log(`  ${plane.name}: ${p.done}/${p.total} rows`);
          },
        });
      } finally {
        plane.directions.forEach((d) => tf.dispose(Object.values(d)));
      }
      const seconds = (performance.now() - t0) / 1000;
      const m = surfaceMinimum(s);
      const meta = { kind, split, model: lp.run.config.model ?? null, activation: lp.run.config.activation ?? null, path: plane.path ?? null, backend: tf.getBackend(), plane: k + 1, axes: plane.label, eigenvalues: plane.eigenvalues ?? null, run: lp.run.dir, checkpoint: lp.checkpoint.epoch, samples: lp.samples.inputs.shape[0], seconds, executor: executor.name, workers: executor.concurrency };
      const saved = saveSurface(out, plane.name, s, meta);
      const svg = await writeSvg(out, plane.name, surfaceContour(s, {
        title: `Loss surface — ${kind} directions${list.length > 1 ? ` (pair ${k + 1})` : ''}`,
        subtitle: `${lp.run.config.model} ${lp.run.config.activation ?? ''}, epoch ${lp.checkpoint.epoch}, ${grid}×${grid} grid, ${lp.samples.inputs.shape[0]} ${split} images; minimum ${m.loss.toFixed(4)} at (${m.x.toFixed(3)}, ${m.y.toFixed(3)})`,
        xTitle: plane.label[0],
        yTitle: plane.label[1],
        paths: plane.path,
      }));
      const steps = Math.max(Math.abs(m.x), Math.abs(m.y)) / (s.x[1] - s.x[0]);
      const predicted = plane.predicted ? ` (quadratic model −g·v/λ: (${plane.predicted[0].toFixed(3)}, ${plane.predicted[1].toFixed(3)}))` : '';
      ctx.log(`  ${plane.name}: ${seconds.toFixed(1)} s; minimum ${m.loss.toFixed(4)} at (${m.x.toFixed(3)}, ${m.y.toFixed(3)}), ${steps.toFixed(1)} grid steps from the centre${predicted}; loss at the centre ${m.centreLoss.toFixed(4)}`);
      files.push(saved.json, saved.bin, svg);
      saved3d.push({ name: plane.name, surface: s, meta });
      surfaces.push({ name: plane.name, axes: plane.label, eigenvalues: plane.eigenvalues ?? null, minLoss: m.loss, argmin: { x: m.x, y: m.y }, gridStepsFromCentre: steps, minAtCentre: m.atCentre, predictedArgmin: plane.predicted ?? null, centreLoss: m.centreLoss, seconds });
    }
    // The report: contour and rotatable 3-D view per surface; config.json lets `descent report` rebuild it.
    const config = { command: 'descent landscape surface', run: lp.run.dir, options: ctx.values };
    writeFileAtomic(join(out, 'config.json'), JSON.stringify(config, null, 2));
    files.push(join(out, 'config.json'), await renderSurfaceReport(out, saved3d, { config }));
    const allCentre = surfaces.every((s) => s.minAtCentre);
    return {
      summary: `surface (${kind}): ${surfaces.length} surface${surfaces.length > 1 ? 's' : ''} of ${grid}×${grid}; minimum ${allCentre ? 'within one grid step of the centre in every one' : 'grid steps from the centre: ' + surfaces.map((s) => `${s.name} ${(s.gridStepsFromCentre as number).toFixed(1)}`).join(', ')}`,
      files,
      directions: kind,
      grid,
      range: r,
      checkpoint: lp.checkpoint.epoch,
      ...info,
      surfaces,
    };
  } finally {
    await executor.close();
    lp.dispose();
  }
}
