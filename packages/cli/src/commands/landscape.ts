import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { useBackend, describeBackend } from '@descent/tensor';
import { parse, helpText, type OptionSpec } from '../args';
import { EXIT, UsageError } from '../errors';
import type { LandscapeContext } from '../landscape/context';
import { writeFilesReport } from '../landscape/files-report';
import { INTERP_OPTIONS, runInterp } from '../landscape/interp';
import { SURFACE_OPTIONS, runSurface } from '../landscape/surface';
import { HESSIAN_OPTIONS, runHessian } from '../landscape/hessian';
import { TRAJECTORY_OPTIONS, runTrajectory } from '../landscape/trajectory';
import { FIT_OPTIONS, runFit } from '../landscape/fit';
import { DYNAMICS_OPTIONS, runDynamics } from '../landscape/dynamics';
import { CONNECT_OPTIONS, runConnect } from '../landscape/connect';

const COMMON: Record<string, OptionSpec> = {
  out: { type: 'string', description: 'output folder (default <run>/landscape/<subcommand>)', value: '<dir>' },
  'data-dir': { type: 'string', description: 'folder with the data files (else DESCENT_DATA, the Debian location, the embedded copy)', value: '<dir>' },
  backend: { type: 'string', description: 'auto, tensorflow, wasm or cpu', default: 'auto', value: '<name>' },
  json: { type: 'boolean', description: 'print the result as JSON on stdout' },
  quiet: { type: 'boolean', description: 'no progress output' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

interface Sub {
  /** One line for the overview. */
  brief: string;
  usage: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Undeclared --key value pairs go to a plugin (connect: the optimizer's options). */
  allowExtra?: boolean;
  /** Whether a run folder is required (fit with --analytic or --surface-file needs none). */
  needsRun?: boolean;
  run: (ctx: LandscapeContext) => Promise<Record<string, unknown>>;
}

const SUBS: Record<string, Sub> = {
  interp: {
    brief: 'loss and accuracy along the straight line between two checkpoints',
    usage: 'descent landscape interp <run> [<run2>] [--from <epoch>] [--to <epoch>] [options]',
    summary: 'Loss and accuracy along the straight line θ(α) = (1−α)θ₁ + αθ₂ between two checkpoints (the book: epochs 1 and 15, α ∈ [−0.5, 1.5], 50 points, 256 test images).',
    options: INTERP_OPTIONS,
    run: runInterp,
  },
  surface: {
    brief: '2-D loss surface around a checkpoint (random, Hessian, PCA or difference directions)',
    usage: 'descent landscape surface <run> [--directions random|hessian|pca|difference] [options]',
    summary: 'A 2-D loss surface θ + λ₁d₁ + λ₂d₂ around a checkpoint, evaluated on worker threads, with a contour plot. The book: --directions hessian --top 4 --grid 40 --range 0.2 --samples 256.',
    options: SURFACE_OPTIONS,
    run: runSurface,
  },
  hessian: {
    brief: 'top Hessian eigenvalues, trace and spectral density at a checkpoint',
    usage: 'descent landscape hessian <run> [--top <n>] [--density] [options]',
    summary: 'Top Hessian eigenvalues (power iteration, PyHessian semantics), the trace (Hutchinson) and optionally the spectral density (stochastic Lanczos) at a checkpoint.',
    options: HESSIAN_OPTIONS,
    run: runHessian,
  },
  trajectory: {
    brief: 'PCA and t-SNE of the weights at each checkpoint, with the training path',
    usage: 'descent landscape trajectory <run> [<run> ...] [--perplexity <p>] [options]',
    summary: "The weights after each checkpointed epoch, flattened, projected by PCA(2) and t-SNE(2) (the book: 15 epochs, perplexity 1), with the path of training.",
    options: TRAJECTORY_OPTIONS,
    run: runTrajectory,
  },
  fit: {
    brief: 'Gaussian-well fit of a surface, and optimizer paths on it (or on an analytic surface)',
    usage: 'descent landscape fit (<run> | --surface-file <surface.json> | --analytic <name>) [--optimizers <list>] [options]',
    summary: "Fits the book's Gaussian well to a loss surface (Levenberg-Marquardt; offset = max z, and a free-offset variant) and runs optimizers on it from (−1, 1): the book's SGD 0.1, SGD 0.05 momentum 0.8, Adam 0.1. From a run it first computes the book's grid (top-2 Hessian directions, 30×30, λ ±1).",
    options: FIT_OPTIONS,
    needsRun: false,
    run: runFit,
  },
  dynamics: {
    brief: 'per-epoch loss, gradient norm, parameter change, weight norm, loss improvement',
    usage: 'descent landscape dynamics <run> [--norm global|book] [options]',
    summary: "Per checkpoint: loss, gradient norm, parameter change from the previous epoch and from the start, weight norm, loss improvement (the book's five panels, from saved weights).",
    options: DYNAMICS_OPTIONS,
    run: runDynamics,
  },
  connect: {
    brief: 'mode connectivity: trained Bézier curve between two minima vs the straight line',
    usage: 'descent landscape connect <runA> <runB> [--epochs <n>] [--optimizer <id> --lr <x> ...] [options]',
    summary: 'Mode connectivity: trains the control point of a quadratic Bézier curve between two minima (Garipov et al. 2018) and compares the loss along it with the straight line.',
    options: CONNECT_OPTIONS,
    allowExtra: true,
    run: runConnect,
  },
};

const HELP = `Usage: descent landscape <subcommand> <run> [options]

Loss-landscape analyses of runs saved by \`descent train --out <run>\` (its checkpoints in
<run>/checkpoints/epoch-NNNN carry the run config, so the model is rebuilt). Each writes JSON
(and binary grids) plus an SVG plot into --out.

Subcommands:
${Object.entries(SUBS)
  .map(([name, s]) => `  ${name.padEnd(11)}${s.brief}`)
  .join('\n')}

Run \`descent landscape <subcommand> --help\` for its options.
Exit codes: 0 done, 1 failed, 2 bad usage (unknown option, missing run, no checkpoints).
`;

/** `descent landscape <subcommand>`: interp, surface, hessian, trajectory, fit, dynamics, connect. */
export async function landscapeCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  const sub = SUBS[name];
  if (!sub) throw new UsageError(`unknown landscape subcommand "${name}"; choose one of ${Object.keys(SUBS).join(', ')}`);
  const spec = { ...sub.options, ...COMMON };
  const { values, positionals, extra } = parse(rest, spec, Boolean(sub.allowExtra));
  if (values.help) {
    process.stdout.write(helpText(sub.usage, sub.summary, spec, 'Workers: surfaces run on worker threads (--workers, default the available cores); 1 = in this thread.'));
    return EXIT.ok;
  }
  if (sub.needsRun !== false && positionals.length === 0) throw new UsageError(`descent landscape ${name} needs a run folder (see --help)`);
  const log = (line: string) => {
    if (!values.quiet) process.stderr.write(line + '\n');
  };
  const backend = await useBackend(String(values.backend) as 'auto');
  log(`backend: ${describeBackend(backend)}`);
  const ctx: LandscapeContext = {
    name,
    values,
    positionals,
    extra,
    log,
    workers: availableParallelism(),
    outDir(defaultBase: string) {
      const dir = resolve(values.out ? String(values.out) : join(defaultBase, 'landscape', name));
      mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
  const result = await sub.run(ctx);
  // Every subcommand gets a report.html beside its results (surface writes its own, with the 3-D view).
  const written = (result.files ?? []) as string[];
  if (written.length > 0 && !written.some((f) => f.endsWith('report.html'))) {
    const dir = dirname(written[0]);
    const facts = Object.fromEntries(Object.entries(result).filter(([k, v]) => k !== 'summary' && ['number', 'string', 'boolean'].includes(typeof v)));
    const config = { command: `descent landscape ${name}`, runs: positionals, options: values };
    result.files = [...written, ...(await writeFilesReport(dir, { title: `descent landscape ${name}`, text: String(result.summary ?? ''), summary: facts, config, backend: backend.backend, files: written.map((f) => relative(dir, f)) }))];
  }
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    const files = (result.files ?? []) as string[];
    process.stdout.write(`${String(result.summary ?? '')}\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  }
  return EXIT.ok;
}
