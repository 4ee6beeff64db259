import { DescentError } from '@descent/tensor';
import { trainCommand } from './commands/train';
import { pluginsCommand } from './commands/plugins';
import { EXIT, UsageError } from './errors';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; summary: string }> = {
  train: { run: trainCommand, summary: 'train a network with any registered initializer and optimizer' },
  plugins: { run: pluginsCommand, summary: 'list the optimizers, initializers and analyses found' },
  study: { run: (argv) => import('./commands/study').then((m) => m.studyCommand(argv)), summary: 'the book\'s studies: study init (initialisation methods), study optimizers (optimizers, surfaces)' },
  topology: { run: (argv) => import('./commands/topology').then((m) => m.topologyCommand(argv)), summary: 'persistent homology of a saved surface or any JSON/CSV grid' },
  wavelet: { run: (argv) => import('./commands/wavelet').then((m) => m.waveletCommand(argv)), summary: 'multiscale (wavelet) analysis of a saved surface or any JSON/CSV grid' },
  landscape: { run: (argv) => import('./commands/landscape').then((m) => m.landscapeCommand(argv)), summary: 'loss landscapes of saved runs: interp, surface, hessian, trajectory, fit, dynamics, connect' },
  run: { run: (argv) => import('./commands/run').then((m) => m.runCommand(argv)), summary: 'run a pipeline or a sweep from a config file (JSON or YAML); resumes where it stopped' },
  schema: { run: (argv) => import('./commands/schema').then((m) => m.schemaCommand(argv)), summary: 'print the JSON Schema of descent run config files, for editors' },
  report: { run: (argv) => import('./commands/report').then((m) => m.reportCommand(argv)), summary: 'rebuild a run\'s report from its saved results; several runs: a comparison report' },
};

const HELP = `Usage: descent <command> [options]

Descent: study and improve how neural networks train.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run \`descent <command> --help\` for a command's options.
Exit codes: 0 done, 1 failed, 2 bad usage or config, 3 training diverged, 130 interrupted.
`;

/** Runs the command line and returns the exit code; errors are printed, never thrown. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await command.run(rest);
  } catch (e) {
    const err = e as Error & { code?: string };
    const json = rest.includes('--json');
    const usage = e instanceof UsageError || err.name === 'ConfigError' || err.name === 'InvalidParameterError' || err.code === 'UNKNOWN_PLUGIN';
    if (json) process.stdout.write(JSON.stringify({ error: { name: err.name, code: err.code ?? null, message: err.message } }) + '\n');
    else process.stderr.write(`descent ${name}: ${err.message}\n`);
    if (!(e instanceof DescentError) && !json && process.env.DESCENT_DEBUG) process.stderr.write(`${err.stack}\n`);
    return usage ? EXIT.usage : EXIT.failed;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.1.0';
