import { tf } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';
import { topEigenpairs, hutchinsonTrace, modelProblem, crossEntropy } from '@descent/hessian';
import type { Analysis } from '../analyses';

interface HessianConfig {
  top: number;
  maxIterations: number;
  tolerance: number;
  samples: number;
  trace: boolean;
}

/** Top Hessian eigenvalues (power iteration) and the Hutchinson trace at the trained weights (@descent/hessian). */
export const hessianAnalysis = definePlugin<'analysis', HessianConfig>({
  id: 'hessian',
  kind: 'analysis',
  version: '0.1.0',
  description: 'top Hessian eigenvalues (power iteration, PyHessian semantics) and trace (Hutchinson) at the trained weights',
  defaults: { top: 2, maxIterations: 50, tolerance: 1e-3, samples: 256, trace: true },
  schema: schema.object({
    top: schema.integer({ min: 1, max: 64, description: 'how many eigenvalues (largest |λ| first)' }),
    maxIterations: schema.integer({ min: 1, description: 'power iterations per eigenvalue; Hutchinson samples for the trace' }),
    tolerance: schema.number({ min: 0, description: 'relative change that stops the iterations (PyHessian: 1e-3)' }),
    samples: schema.integer({ min: 1, description: 'first n test examples (one batch)' }),
    trace: schema.boolean({ description: 'also estimate the trace' }),
  }),
  create: (config): Analysis => ({
    id: 'hessian',
    async run(ctx) {
      const model = await ctx.model();
      const { inputs, labels } = await ctx.samples(config.samples);
      const problem = modelProblem(model, inputs, labels, crossEntropy);
      const pairs = topEigenpairs(problem, { topN: config.top, maxIterations: config.maxIterations, tolerance: config.tolerance, seed: ctx.seed });
      const eigenvalues = pairs.map((p) => p.value);
      pairs.forEach((p) => tf.dispose(Object.values(p.vector)));
      ctx.log(`top eigenvalues ${eigenvalues.map((v) => v.toFixed(4)).join(', ')}`);
      const trace = config.trace ? hutchinsonTrace(problem, { maxIterations: config.maxIterations, tolerance: config.tolerance, seed: ctx.seed }) : undefined;
      if (trace) ctx.log(`trace ${trace.trace.toFixed(3)} (${trace.samples.length} samples)`);
      return {
        samples: inputs.shape[0],
        eigenvalues,
        iterations: pairs.map((p) => p.iterations),
        trace: trace?.trace ?? null,
        traceSamples: trace?.samples.length ?? 0,
        traceStandardError: trace?.standardError ?? null,
      };
    },
  }),
});
