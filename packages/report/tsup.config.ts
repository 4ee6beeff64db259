import { packageBuild } from '../../tsup.base';

// ESM only: vega 6 is an ES module with top-level await (vega-canvas probes for `canvas`), which
// neither a CJS bundle nor Node's require(esm) can load. CommonJS callers use `await import()`.
export default packageBuild(['src/index.ts'], { format: ['esm'] });
