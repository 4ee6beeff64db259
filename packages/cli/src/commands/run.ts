import { basename, extname, join, resolve } from 'node:path';
import { useBackend } from '@descent/tensor';
import { loadPipelineConfig, runPipeline, runSweep, analysisLine, type PipelineResult, type AnalysisRecord } from '@descent/pipeline';
import { formatEpoch } from '@descent/train';
import { parse, helpText, type OptionSpec } from '../args';
import { loadRegistry } from '../builtins';
import { EXIT, UsageError } from '../errors';

const OPTIONS: Record<string, OptionSpec> = {
  out: { type: 'string', description: "output folder (default: the config's out, else runs/<config name>)", value: '<dir>' },
  force: { type: 'boolean', description: 'run the analyses again even where their results exist' },
  backend: { type: 'string', description: 'auto, tensorflow, wasm or cpu', default: 'auto', value: '<name>' },
  json: { type: 'boolean', description: 'print the result as JSON on stdout' },
  quiet: { type: 'boolean', description: 'no progress output' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const EXAMPLE = `Example study.yaml (\`descent schema --out descent.schema.json\` gives editors completion):
  data: { id: fashion-mnist, config: { trainSize: 2048, testSize: 512 } }
  model: { id: simple-mlp, config: { hiddenSizes: [64] } }
  init: { id: kaiming-normal }
  optimizer: { id: adam, config: { lr: 0.001 }, schedule: { id: cosine } }
  training: { epochs: 2, batchSize: 128, seed: 0 }
  analyses: [{ id: spectrum }, { id: hessian }, { id: landscape }, { id: topology }, { id: wavelet }]
  sweep: { grid: { lr: [0.001, 0.01], seed: [0, 1] } }

A sweep writes <out>/sweep.json and one folder per run under <out>/runs; run the same command again
after an interruption: finished runs are skipped, an interrupted one resumes from its checkpoint.`;

function exitCode(status: string): number {
  return status === 'completed' ? EXIT.ok : status === 'diverged' ? EXIT.diverged : EXIT.interrupted;
}

function describeRun(r: PipelineResult, ids: Record<string, string>): string {
  const last = r.epochs.at(-1);
  const lines = [`${r.runDir}: ${r.status}${r.skipped ? ' (finished earlier, skipped)' : ''}`];
  if (last) lines.push(`  ${formatEpoch(last, r.epochs.length)}`);
  for (const [name, result] of Object.entries(r.analyses)) {
    lines.push(`  ${analysisLine({ analysis: ids[name] ?? name, name, result } as AnalysisRecord)}`);
  }
  return lines.join('\n');
}

/** `descent run <config>`: a pipeline (or a sweep of them) from a JSON or YAML config file. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, false);
  if (values.help) {
    process.stdout.write(helpText('descent run <study.json|study.yaml> [--out <dir>] [--json]', 'Run a pipeline (data → model → initializer → optimizer → training → analyses) or a sweep of them from a config file.', OPTIONS, EXAMPLE));
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one config file, got ${positionals.length}: ${positionals.join(' ')}` : 'which config file? (descent run study.yaml)');
  const file = positionals[0];
  const { registry } = await loadRegistry();
  const config = await loadPipelineConfig(file, { plugins: registry });
  const out = resolve(String(values.out ?? config.out ?? join('runs', config.name ?? basename(file, extname(file)))));
  const log = (line: string) => {
    if (!values.quiet) process.stderr.write(line + '\n');
  };
  await useBackend(String(values.backend) as 'auto');
  const controller = new AbortController();
  const onSigint = () => {
    log('interrupted: stopping after this batch; completed epochs and runs are kept (run the same command again to continue)');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const common = { plugins: registry, signal: controller.signal, log, force: Boolean(values.force), progress: values.quiet || values.json ? ('none' as const) : ('auto' as const) };
  // Analysis ids by output name, for the summary lines.
  const ids = Object.fromEntries((config.analyses ?? []).map((a) => [a.name ?? a.id, a.id]));
  try {
    if (config.sweep) {
      const results: PipelineResult[] = [];
      const sweep = await runSweep(config, {
        ...common,
        outDir: out,
        onRunStart: (r) => log(`run ${r.name}`),
        onRunSkipped: (r) => log(`run ${r.name}: finished earlier, skipped`),
        onRunEnd: (_r, result) => results.push(result),
      });
      if (values.json) process.stdout.write(JSON.stringify({ status: sweep.status, out, manifest: join(out, 'sweep.json'), runs: sweep.runs }, null, 2) + '\n');
      else {
        for (const r of results) process.stdout.write(describeRun(r, ids) + '\n');
        process.stdout.write(`sweep ${sweep.status}: ${sweep.runs.filter((r) => r.status === 'completed').length} of ${sweep.runs.length} runs completed (${sweep.runs.filter((r) => r.skipped).length} skipped as finished); manifest ${join(out, 'sweep.json')}\n`);
      }
      return sweep.status === 'completed' ? EXIT.ok : EXIT.interrupted;
    }
    const result = await runPipeline(config, { ...common, outDir: out });
    if (values.json) process.stdout.write(JSON.stringify({ status: result.status, out, skipped: result.skipped, epochs: result.epochs, analyses: Object.keys(result.analyses), ranAnalyses: result.ranAnalyses, seconds: result.seconds }, null, 2) + '\n');
    else process.stdout.write(describeRun(result, ids) + `\nreport: ${join(out, 'report.html')}\n`);
    return exitCode(result.status);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
