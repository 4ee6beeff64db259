import { definePlugin, schema, ConfigError } from '@descent/registry';
import { multiscaleAnalysis, discreteWavelets, MODES, toRows, type Mode } from '@descent/wavelet';
import type { Analysis } from '../analyses';
import { loadLossRows } from './surface-source';

/** Grids up to this many cells (101×101) save their detail coefficients with the result. */
const MAX_SAVED_CELLS = 101 * 101;

interface WaveletConfig {
  source: string;
  wavelet: string;
  level: number;
  mode: Mode;
}

/** Multiscale (wavelet) analysis of the saved loss surface (@descent/wavelet, PyWavelets-compatible). */
export const waveletAnalysis = definePlugin<'analysis', WaveletConfig>({
  id: 'wavelet',
  kind: 'analysis',
  version: '0.1.0',
  description: 'wavedec2 of the loss surface: energy per scale and a roughness index',
  defaults: { source: 'landscape', wavelet: 'haar', level: 2, mode: 'symmetric' },
  schema: schema.object({
    source: schema.string({ description: 'name of the 2-D landscape analysis whose surface is read (default landscape)' }),
    wavelet: schema.string({ description: 'discrete wavelet: haar, db1…db38, sym2…sym20, coif1…coif17, bior*, rbio*, dmey (default haar)' }),
    level: schema.integer({ min: 1, max: 10, description: 'decomposition depth (default 2)' }),
    mode: schema.enum(MODES as unknown as [string, ...string[]], { description: 'signal extension mode (default symmetric)' }),
  }),
  check: (c) => {
    if (!discreteWavelets().includes(c.wavelet)) throw new ConfigError('wavelet', c.wavelet, 'a discrete wavelet name, e.g. haar, db2, sym4, coif1');
  },
  create: (config): Analysis => ({
    id: 'wavelet',
    run(ctx) {
      const rows = loadLossRows(ctx, config.source, 'wavelet.source');
      const r = multiscaleAnalysis(rows, { wavelet: config.wavelet, level: config.level, mode: config.mode });
      ctx.log(`roughness ${r.roughness.toFixed(4)}; ${r.details.map((d) => `level ${d.level} ${(100 * d.share).toFixed(1)} %`).join(', ')}`);
      return {
        source: config.source,
        wavelet: config.wavelet,
        level: config.level,
        roughness: r.roughness,
        totalEnergy: r.totalEnergy,
        approximationShare: r.approximationShare,
        bands: r.details.map((d) => ({ level: d.level, energy: d.energy, share: d.share })),
        approximation: toRows(r.approximation),
        // The detail bands for the report's coefficient maps, while they stay small (≤ 101×101 grids).
        ...(rows.length * (rows[0]?.length ?? 0) <= MAX_SAVED_CELLS
          ? { details: r.details.map((d) => ({ level: d.level, horizontal: toRows(d.horizontal), vertical: toRows(d.vertical), diagonal: toRows(d.diagonal) })) }
          : {}),
      };
    },
  }),
});
