import { packageBuild } from '../../tsup.base';

// ESM only, like @descent/report (vega 6 has top-level await, which a CJS bundle cannot load).
// CommonJS callers use `await import('@descent/pipeline')`.
export default packageBuild(['src/index.ts'], { format: ['esm'] });
