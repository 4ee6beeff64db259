import { packageBuild } from '../../tsup.base';

// Two entries: the library and the worker-thread script WorkerPool starts (located next to the
// built module: dist/grid-worker.js for ESM, dist/grid-worker.cjs for CJS). shims: import.meta.url
// in the CJS build, which the pool uses to find the script.
export default packageBuild(['src/index.ts', 'src/grid-worker.ts'], { shims: true });
