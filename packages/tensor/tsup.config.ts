import { packageBuild } from '../../tsup.base';

// Bundle tfjs-core's gradient and chained-op registrations (ESM files with extensionless imports
// that Node cannot load directly), as @tensorflow/tfjs' own Node bundle does.
export default packageBuild(['src/index.ts'], { noExternal: [/^@tensorflow\/tfjs-core\/dist\//] });
