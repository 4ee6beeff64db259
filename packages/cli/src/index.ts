/** @descent/cli — the `descent` command, also callable in-process. */
export { main } from './main';
export { EXIT, UsageError } from './errors';
export { loadRegistry } from './builtins';
