import { packageBuild } from '../../tsup.base';
// shims: the CJS build needs import.meta.url to find the package's build/descent_blas.node.
export default packageBuild(['src/index.ts'], { shims: true });
