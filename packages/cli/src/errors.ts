import { DescentError } from '@descent/tensor';

/** Exit codes: 0 done, 1 failed, 2 bad usage or config, 3 training diverged, 130 interrupted (Ctrl-C). */
export const EXIT = { ok: 0, failed: 1, usage: 2, diverged: 3, interrupted: 130 } as const;

/** A command line that cannot be run as written. */
export class UsageError extends DescentError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
