import { packageBuild } from '../../tsup.base';
// shims: the CJS build needs import.meta.url to find the package's data/ directory.
export default packageBuild(['src/index.ts'], { shims: true });
