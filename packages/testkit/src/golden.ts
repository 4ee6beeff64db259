import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A tensor in a fixture: shape plus row-major values (tfjs layout). */
export interface FixtureTensor {
  shape: number[];
  values: number[];
}

/** One reference optimizer trajectory, written by tools/golden/optimizers.py from torch 1.13. */
export interface GoldenTrajectory {
  name: string;
  /** Config in Descent's (camelCase) names. */
  config: Record<string, unknown>;
  params: Record<string, FixtureTensor>;
  /** Gradient fed at each step, per parameter (same shapes as params). */
  grads: Array<Record<string, number[]>>;
  /** Parameters after each step. */
  expected: Array<Record<string, number[]>>;
  /** Where the reference came from, e.g. "torch 1.13.0 torch.optim.Adam". */
  source?: string;
}

function fixturesRoot(): string {
  // Walk up from this file to the repository root (the folder holding tools/golden/fixtures).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'tools', 'golden', 'fixtures');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('tools/golden/fixtures not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Reads tools/golden/fixtures/<area>/<name>.json. */
export function loadFixture<T = unknown>(area: string, name: string): T {
  const path = resolve(fixturesRoot(), area, `${name}.json`);
  if (!existsSync(path)) throw new Error(`golden fixture ${path} is missing: run \`npm run golden\` (needs Debian's python3-torch etc.)`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The golden optimizer trajectories for one registry id. */
export function loadGolden(id: string): GoldenTrajectory[] {
  return loadFixture<{ cases: GoldenTrajectory[] }>('optim', id).cases;
}
