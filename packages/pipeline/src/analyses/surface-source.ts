import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSurface } from '@descent/landscape';
import { ConfigError } from '@descent/registry';
import type { AnalysisContext } from '../analyses';

/** The loss grid (rows follow y) a landscape analysis saved in this run folder, by that analysis's name. */
export function loadLossRows(ctx: AnalysisContext, source: string, path: string): number[][] {
  const file = join(ctx.outDir, `${source}-surface.json`);
  if (!existsSync(file)) {
    throw new ConfigError(path, source, `the name of a 2-D landscape analysis of this run that has run already (no ${file}; list "landscape" with dims 2 before this analysis)`);
  }
  const s = loadSurface(file);
  return s.y.map((_, i) => Array.from(s.loss.subarray(i * s.x.length, (i + 1) * s.x.length)));
}
