// The single TensorFlow.js surface of Descent: core ops plus the layers API, as the union
// package @tensorflow/tfjs would give, without pulling in the converter or data packages.
//
// Order matters: the core's Node build must load first so that it creates tfjs' global engine
// and tensor class. tfjs-core's Node entry registers neither the gradients nor the chained
// tensor methods (x.add(y)); @tensorflow/tfjs does so by bundling the two modules below, and so
// do we (see tsup.config.ts). They register into the global registries of that same engine.
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
