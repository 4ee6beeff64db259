import { packageBuild } from '../../tsup.base';

// src/errors.ts is its own entry (`@descent/tensor/errors`): the typed errors without loading
// TensorFlow.js, for the pure-numeric packages (wavelet, topology, report).
// Bundle tfjs-core's gradient and chained-op registrations (ESM files with extensionless imports
// that Node cannot load directly), as @tensorflow/tfjs' own Node bundle does.
export default packageBuild(['src/index.ts', 'src/errors.ts'], { noExternal: [/^@tensorflow\/tfjs-core\/dist\//] });
