import { definePlugin, schema } from '@descent/registry';
import { analyzeModelWeights } from '@descent/spectrum';
import type { Analysis } from '../analyses';

interface SpectrumConfig {
  variant: 'entropy' | 'book';
  includeVectors: boolean;
}

/** Singular-value metrics of every weight matrix (@descent/spectrum's analyzeModelWeights). */
export const spectrumAnalysis = definePlugin<'analysis', SpectrumConfig>({
  id: 'spectrum',
  kind: 'analysis',
  version: '0.1.0',
  description: 'singular-value metrics of the weights: spectral norm, condition number, effective and stable rank',
  defaults: { variant: 'entropy', includeVectors: false },
  schema: schema.object({
    variant: schema.enum(['entropy', 'book'] as const, { description: "rank ratio: 'entropy' (effective rank) or 'book' (cumulative 95 %)" }),
    includeVectors: schema.boolean({ description: 'also 1-D non-bias weights (a PReLU slope)' }),
  }),
  create: (config): Analysis => ({
    id: 'spectrum',
    async run(ctx) {
      const model = await ctx.model();
      const { layers, averages, variant } = analyzeModelWeights(model, config);
      ctx.log(`${layers.length} weights; mean spectral norm ${averages.spectralNorm.toFixed(3)}, mean condition ${averages.condition.toPrecision(4)}`);
      return {
        variant,
        averages,
        layers: layers.map(({ name, shape, matrixShape, spectralNorm, condition, effectiveRank, effectiveRankRatio, stableRank, numericalRank, rankRatio, frobeniusNorm, singularValues }) => ({
          name,
          shape,
          matrixShape,
          spectralNorm,
          condition,
          effectiveRank,
          effectiveRankRatio,
          stableRank,
          numericalRank,
          rankRatio,
          frobeniusNorm,
          singularValues,
        })),
      };
    },
  }),
});
