import { join } from 'node:path';
import { tf } from '@descent/tensor';
import { writeFileAtomic } from '@descent/train';
import { topEigenpairs, hutchinsonTrace, densityOnGrid, modelProblem, crossEntropy } from '@descent/hessian';
import { variablesOf, spectralDensityParallel, defaultExecutor } from '@descent/landscape';
import { bars, lineChart } from '@descent/report';
import type { OptionSpec } from '../args';
import { UsageError } from '../errors';
import { intOpt, loadProblem, numOpt, type LandscapeContext } from './context';
import { writeSvg } from './plots';

export const HESSIAN_OPTIONS: Record<string, OptionSpec> = {
  top: { type: 'string', description: 'number of top eigenvalues (largest |λ|, power iteration with deflation)', default: '4', value: '<n>' },
  'max-iterations': { type: 'string', description: 'power iterations per eigenvalue; Hutchinson samples for the trace', default: '100', value: '<n>' },
  tolerance: { type: 'string', description: 'relative change that stops the iterations (PyHessian: 1e-3)', default: '1e-3', value: '<x>' },
  density: { type: 'boolean', description: 'also the spectral density (stochastic Lanczos quadrature)' },
  'density-runs': { type: 'string', description: 'density: Lanczos runs from random starts, each an independent job', default: '1', value: '<n>' },
  'density-steps': { type: 'string', description: 'density: Hessian-vector products per run', default: '30', value: '<n>' },
  workers: { type: 'string', description: 'density: worker threads for the runs (1 = in this thread; default the available cores, at most the runs)', value: '<n>' },
  samples: { type: 'string', description: 'first n test images (one batch)', default: '256', value: '<n>' },
  checkpoint: { type: 'string', description: 'epoch number, first or latest', default: 'latest', value: '<epoch>' },
  seed: { type: 'string', description: 'seed of the random start vectors', default: '0', value: '<n>' },
};

/** `descent landscape hessian`: top eigenvalues, trace and (optionally) spectral density at a checkpoint. */
export async function runHessian(ctx: LandscapeContext): Promise<Record<string, unknown>> {
  if (ctx.positionals.length !== 1) throw new UsageError('hessian takes one run folder');
  const top = intOpt(ctx, 'top', 1);
  const maxIterations = intOpt(ctx, 'max-iterations', 1);
  const tolerance = numOpt(ctx, 'tolerance', (x) => x >= 0, 'a number ≥ 0');
  const seed = intOpt(ctx, 'seed', 0);
  const lp = await loadProblem(ctx, ctx.positionals[0], { checkpoint: ctx.values.checkpoint as string, samples: intOpt(ctx, 'samples', 1) });
  try {
    const hp = modelProblem(lp.problem.model, lp.problem.inputs, lp.problem.labels, crossEntropy, variablesOf(lp.problem));
    let t0 = performance.now();
    const pairs = topEigenpairs(hp, { topN: top, maxIterations, tolerance, seed });
    const eigenSeconds = (performance.now() - t0) / 1000;
    const eigenvalues = pairs.map((p) => p.value);
    pairs.forEach((p) => tf.dispose(Object.values(p.vector)));
    ctx.log(`eigenvalues: ${eigenvalues.map((v) => v.toFixed(4)).join(', ')} (${eigenSeconds.toFixed(1)} s)`);
    t0 = performance.now();
    const trace = hutchinsonTrace(hp, { maxIterations, tolerance, seed });
    ctx.log(`trace: ${trace.trace.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const out = ctx.outDir(lp.run.dir);
    const files: string[] = [];
    let density: { x: number[]; density: number[] } | undefined;
    if (ctx.values.density) {
      const runs = intOpt(ctx, 'density-runs', 1);
      const steps = intOpt(ctx, 'density-steps', 2);
      const workers = Math.min(runs, ctx.values.workers === undefined ? ctx.workers : intOpt(ctx, 'workers', 1));
      t0 = performance.now();
      const executor = defaultExecutor({ workers });
      const d = await spectralDensityParallel(lp.problem, { runs, steps, seed, executor }).finally(() => executor.close());
      ctx.log(`density: ${runs} run(s) of ${steps} steps on ${workers} worker(s) (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      density = densityOnGrid(d, { gridSize: 400, sigma: 1e-2 * Math.max(1e-6, Math.abs(eigenvalues[0])) });
      files.push(await writeSvg(out, 'hessian-density', lineChart({ title: 'Hessian spectral density (stochastic Lanczos quadrature)', x: { field: 'eigenvalue', title: 'eigenvalue' }, y: { field: 'density', title: 'density' }, data: density.x.map((x, i) => ({ eigenvalue: x, density: density!.density[i] })), points: false })));
    }
    const result = { run: lp.run.dir, checkpoint: lp.checkpoint.epoch, samples: lp.samples.inputs.shape[0], eigenvalues, iterations: pairs.map((p) => p.iterations), trace: trace.trace, traceSamples: trace.samples.length, traceStandardError: trace.standardError, eigenSeconds, ...(density ? { density } : {}) };
    const json = join(out, 'hessian.json');
    writeFileAtomic(json, JSON.stringify(result, null, 2));
    files.unshift(json, await writeSvg(out, 'hessian-eigenvalues', bars({ title: `Top ${top} Hessian eigenvalues — epoch ${lp.checkpoint.epoch}`, bars: eigenvalues.map((v, i) => ({ label: `λ${i + 1}`, value: v })), x: { title: 'eigenpair' }, y: { title: 'eigenvalue' } })));
    return { summary: `hessian: top eigenvalues ${eigenvalues.map((v) => v.toFixed(3)).join(', ')}; trace ${trace.trace.toFixed(2)}`, files, ...result };
  } finally {
    lp.dispose();
  }
}
