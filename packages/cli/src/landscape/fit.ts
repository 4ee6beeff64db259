import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tf, type GradientTransform } from '@descent/tensor';
import { writeFileAtomic } from '@descent/train';
import {
  fitInvertedGaussian,
  gaussianSurface,
  analyticSurface,
  optimizerPath,
  evaluateSurfaceFn,
  hessianDirections,
  surface2dParallel,
  saveSurface,
  loadSurface,
  defaultExecutor,
  linspace,
  ANALYTIC_SURFACES,
  type Surface,
  type SurfaceFn,
  type GaussianFit,
  type OptimizerPath,
} from '@descent/landscape';
import { contour, lineChart, type ScatterPoint } from '@descent/report';
import type { Plugin } from '@descent/registry';
import type { OptionSpec } from '../args';
import { loadRegistry } from '../builtins';
import { coerce } from '../plugin-options';
import { UsageError } from '../errors';
import { choiceOpt, intOpt, loadProblem, numOpt, pairOpt, type LandscapeContext } from './context';
import { surfaceContour, writeSvg } from './plots';

export const BOOK_PATH_OPTIMIZERS = 'sgd:lr=0.1;sgd:lr=0.05,momentum=0.8;adam:lr=0.1';

export const FIT_OPTIONS: Record<string, OptionSpec> = {
  'surface-file': { type: 'string', description: 'fit a surface saved by `descent landscape surface` (its .json) instead of computing one', value: '<file>' },
  analytic: { type: 'string', description: `no fit: run the optimizers on ${Object.keys(ANALYTIC_SURFACES).join(', ')}`, value: '<name>' },
  variant: { type: 'string', description: "which fit the optimizers run on: max (offset = max z, the book's) or free", default: 'max', value: '<v>' },
  optimizers: { type: 'string', description: 'optimizer plugins with settings: id:key=value,key=value;id:... (arrays as a|b)', default: BOOK_PATH_OPTIMIZERS, value: '<list>' },
  start: { type: 'string', description: 'start point x,y', default: '-1,1', value: '<x,y>' },
  steps: { type: 'string', description: 'optimizer steps', default: '100', value: '<n>' },
  grid: { type: 'string', description: 'from a run: points per axis of the surface', default: '30', value: '<n>' },
  range: { type: 'string', description: 'from a run: λ from −r to r', default: '1', value: '<r>' },
  samples: { type: 'string', description: 'from a run: first n test images', default: '256', value: '<n>' },
  checkpoint: { type: 'string', description: 'from a run: epoch number, first or latest', default: 'latest', value: '<epoch>' },
  workers: { type: 'string', description: 'from a run: worker threads for the grid', value: '<n>' },
};

/** "sgd:lr=0.1;adam:lr=0.1,betas=0.9|0.999" → plugins with their configs, coerced by each plugin's schema. */
export function parseOptimizers(text: string, get: (id: string) => Plugin): Array<{ label: string; id: string; config: Record<string, unknown>; transform: GradientTransform<any> }> {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [id, rest = ''] = item.split(':');
      const plugin = get(id.trim());
      const props = ((plugin.schema as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
      const config: Record<string, unknown> = {};
      for (const pair of rest.split(',').map((s) => s.trim()).filter(Boolean)) {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new UsageError(`--optimizers "${item}": write ${id}:key=value,key=value`);
        const key = pair.slice(0, eq).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
        if (!(key in props)) throw new UsageError(`--optimizers: ${id} has no option "${key}"; it has ${Object.keys(props).join(', ')}`);
        config[key] = coerce(props[key], pair.slice(eq + 1).replace(/\|/g, ','), key);
      }
      return { label: rest ? `${plugin.id} ${rest}` : plugin.id, id: plugin.id, config, transform: plugin.create(config) as GradientTransform<any> };
    });
}

async function runSurfaceFromRun(ctx: LandscapeContext): Promise<{ surface: Surface; base: string; meta: Record<string, unknown> }> {
  const grid = intOpt(ctx, 'grid', 3);
  const r = numOpt(ctx, 'range', (x) => x > 0, 'a number > 0');
  const lp = await loadProblem(ctx, ctx.positionals[0], { checkpoint: ctx.values.checkpoint as string, samples: intOpt(ctx, 'samples', 1) });
  const executor = defaultExecutor({ workers: ctx.values.workers === undefined ? ctx.workers : intOpt(ctx, 'workers', 1) });
  try {
    const h = hessianDirections(lp.problem, { top: 2 });
    ctx.log(`hessian: top 2 eigenvalues ${h.values.map((v) => v.toFixed(4)).join(', ')}; grid ${grid}×${grid}, λ ∈ [−${r}, ${r}] on ${executor.name}`);
    const surface = await surface2dParallel(lp.problem, [h.directions[0], h.directions[1]], { xRange: [-r, r], xPoints: grid, executor });
    h.directions.forEach((d) => tf.dispose(Object.values(d)));
    return { surface, base: lp.run.dir, meta: { kind: 'hessian', eigenvalues: h.values, run: lp.run.dir, checkpoint: lp.checkpoint.epoch, samples: lp.samples.inputs.shape[0] } };
  } finally {
    await executor.close();
    lp.dispose();
  }
}

/** `descent landscape fit`: the Gaussian-well fit of a loss surface, and optimizer paths on it. */
export async function runFit(ctx: LandscapeContext): Promise<Record<string, unknown>> {
  const sources = [ctx.positionals.length > 0, ctx.values['surface-file'] !== undefined, ctx.values.analytic !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('fit takes exactly one of: a run folder, --surface-file <surface.json>, --analytic <name>');
  const variant = choiceOpt(ctx, 'variant', ['max', 'free'] as const);
  const start = pairOpt(ctx, 'start');
  const steps = intOpt(ctx, 'steps', 1);
  const { registry } = await loadRegistry();
  const optimizers = parseOptimizers(String(ctx.values.optimizers), (id) => registry.get(id, 'optimizer'));

  let fn: SurfaceFn;
  let data: Surface | undefined;
  let fits: { max: GaussianFit; free: GaussianFit } | undefined;
  let base: string;
  let meta: Record<string, unknown> = {};
  const files: string[] = [];
  if (ctx.values.analytic !== undefined) {
    const name = String(ctx.values.analytic);
    if (!(name in ANALYTIC_SURFACES)) throw new UsageError(`--analytic must be one of ${Object.keys(ANALYTIC_SURFACES).join(', ')}, got "${name}"`);
    fn = analyticSurface(name);
    base = resolve('.');
    meta = { analytic: name };
  } else {
    if (ctx.values['surface-file'] !== undefined) {
      const file = resolve(String(ctx.values['surface-file']));
      if (!existsSync(file)) throw new UsageError(`--surface-file: "${file}" does not exist`);
      const s = loadSurface(file);
      data = s;
      meta = { surfaceFile: file, ...s.meta };
      base = dirname(file);
    } else {
      const computed = await runSurfaceFromRun(ctx);
      data = computed.surface;
      meta = computed.meta;
      base = computed.base;
    }
    fits = { max: fitInvertedGaussian(data.x, data.y, data.loss, { offset: 'max' }), free: fitInvertedGaussian(data.x, data.y, data.loss, { offset: 'free' }) };
    const p = fits.max.params;
    ctx.log(`fit (offset = max z): A ${p.A.toFixed(4)}, x0 ${p.x0.toFixed(4)}, y0 ${p.y0.toFixed(4)}, σ1 ${p.sigma1.toFixed(4)}, σ2 ${p.sigma2.toFixed(4)}, offset ${p.offset.toFixed(4)}; R² ${fits.max.r2.toFixed(4)}`);
    const q = fits.free.params;
    ctx.log(`fit (free offset):    A ${q.A.toFixed(4)}, x0 ${q.x0.toFixed(4)}, y0 ${q.y0.toFixed(4)}, σ1 ${q.sigma1.toFixed(4)}, σ2 ${q.sigma2.toFixed(4)}, offset ${q.offset.toFixed(4)}; R² ${fits.free.r2.toFixed(4)}`);
    fn = gaussianSurface(fits[variant].params);
  }
  const out = ctx.outDir(base);
  if (data && !ctx.values['surface-file']) files.push(saveSurface(out, 'surface', data, meta).json);

  const paths: Array<{ label: string; id: string; config: Record<string, unknown> } & OptimizerPath> = optimizers.map((o) => ({ label: o.label, id: o.id, config: o.config, ...optimizerPath(fn, o.transform, { start, steps }) }));
  for (const p of paths) {
    const last = p.points[p.points.length - 1];
    ctx.log(`  ${p.label}: (${last.x.toFixed(4)}, ${last.y.toFixed(4)}) z ${last.z.toFixed(4)} after ${last.step} steps${p.divergedAt ? ` — diverged at step ${p.divergedAt}` : ''}`);
  }
  // The plotted region: the data grid (or [−1.5, 1.5]²) widened to hold every path.
  const xs = [...(data ? [data.x[0], data.x[data.x.length - 1]] : [-1.5, 1.5]), ...paths.flatMap((p) => p.points.map((q) => q.x))];
  const ys = [...(data ? [data.y[0], data.y[data.y.length - 1]] : [-1.5, 1.5]), ...paths.flatMap((p) => p.points.map((q) => q.y))];
  const clamp = (v: number) => Math.max(-10, Math.min(10, v));
  const gx = linspace(clamp(Math.min(...xs)) - 0.05, clamp(Math.max(...xs)) + 0.05, 60);
  const gy = linspace(clamp(Math.min(...ys)) - 0.05, clamp(Math.max(...ys)) + 0.05, 60);
  const z = evaluateSurfaceFn(fn, gx, gy);
  const pathPoints: ScatterPoint[] = paths.flatMap((p) => p.points.filter((q) => Math.abs(q.x) <= 10 && Math.abs(q.y) <= 10).map((q) => ({ x: q.x, y: q.y, group: p.label, label: `step ${q.step}` })));
  const title = ctx.values.analytic ? `Optimizer paths on ${ctx.values.analytic}` : `Optimizer paths on the fitted Gaussian well (offset ${variant === 'max' ? '= max z' : 'free'})`;
  let lo = Infinity;
  for (const v of z) lo = Math.min(lo, v);
  const positive = lo > 0;
  files.push(await writeSvg(out, 'fit-paths', contour({ title, subtitle: `start (${start}), ${steps} steps`, grid: { values: z, rows: gy.length, cols: gx.length }, x: gx, y: gy, xTitle: 'x', yTitle: 'y', valueTitle: 'z', scale: positive && ctx.values.analytic === 'rosenbrock' ? 'log' : 'linear', paths: pathPoints, pathsTitle: 'Optimizer' })));
  files.push(await writeSvg(out, 'fit-loss', lineChart({ title: 'Surface value along each path', x: { field: 'step', title: 'step' }, y: { field: 'z', title: 'z' }, series: { field: 'optimizer', title: 'Optimizer' }, data: paths.flatMap((p) => p.points.map((q) => ({ step: q.step, z: q.z, optimizer: p.label }))) })));
  if (data && fits) {
    files.push(await writeSvg(out, 'fit-data', surfaceContour(data, { title: 'The loss surface that was fitted', subtitle: `Gaussian well (offset = max z): R² ${fits.max.r2.toFixed(3)}; free offset: R² ${fits.free.r2.toFixed(3)}`, xTitle: 'λ₁', yTitle: 'λ₂' })));
  }
  const result = {
    source: meta,
    fit: fits ?? null,
    variant: fits ? variant : null,
    paths: paths.map((p) => ({ label: p.label, id: p.id, config: p.config, divergedAt: p.divergedAt ?? null, points: p.points })),
  };
  const json = join(out, 'fit.json');
  writeFileAtomic(json, JSON.stringify(result, null, 2));
  const summary = fits
    ? `fit: A ${fits.max.params.A.toFixed(3)}, x0 ${fits.max.params.x0.toFixed(3)}, y0 ${fits.max.params.y0.toFixed(3)}, σ1 ${fits.max.params.sigma1.toFixed(3)}, σ2 ${fits.max.params.sigma2.toFixed(3)} (offset max z ${fits.max.params.offset.toFixed(3)}, R² ${fits.max.r2.toFixed(3)}); ${paths.length} optimizer paths`
    : `fit: ${paths.length} optimizer paths on ${ctx.values.analytic}`;
  return { summary, files: [json, ...files], ...result };
}
