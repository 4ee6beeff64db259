import { definePlugin, schema } from '@descent/registry';
import { surfaceDiagram, countBasins, minimaBarrier, totalPersistence, persistenceEntropy } from '@descent/topology';
import type { Analysis } from '../analyses';
import { loadLossRows } from './surface-source';

interface TopologyConfig {
  source: string;
  threshold: number;
}

/** Persistent homology of the saved loss surface (@descent/topology, GUDHI-compatible): basins, barrier, persistence. */
export const topologyAnalysis = definePlugin<'analysis', TopologyConfig>({
  id: 'topology',
  kind: 'analysis',
  version: '0.1.0',
  description: 'persistent homology of the loss surface: basins, the barrier between the two lowest minima, total persistence',
  defaults: { source: 'landscape', threshold: 0.05 },
  schema: schema.object({
    source: schema.string({ description: 'name of the 2-D landscape analysis whose surface is read (default landscape)' }),
    threshold: schema.number({ min: 0, max: 1, description: 'basins count when their H0 persistence (normalised loss) exceeds this' }),
  }),
  create: (config): Analysis => ({
    id: 'topology',
    run(ctx) {
      const rows = loadLossRows(ctx, config.source, 'topology.source');
      const diagram = surfaceDiagram(rows);
      const finite = diagram.filter((p) => Number.isFinite(p.death));
      const barrier = minimaBarrier(rows, { normalize: true });
      const basins = countBasins(rows, { threshold: config.threshold });
      ctx.log(`${basins} basin${basins === 1 ? '' : 's'} above ${config.threshold}; ${diagram.length} persistence pairs`);
      return {
        source: config.source,
        basins,
        threshold: config.threshold,
        pairs: diagram.length,
        barrier,
        totalPersistenceH0: totalPersistence(finite.filter((p) => p.dimension === 0)),
        totalPersistenceH1: totalPersistence(finite.filter((p) => p.dimension === 1)),
        entropyH0: persistenceEntropy(finite.filter((p) => p.dimension === 0)),
        diagram: diagram.map((p) => ({ dimension: p.dimension, birth: p.birth, death: p.death })),
      };
    },
  }),
});
