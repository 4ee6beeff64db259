// The real error classes of @descent/tensor, without the TensorFlow.js it also loads (8 s per test
// file). This package uses nothing else from it; test/index.test.ts checks against the real module.
export { DescentError, InvalidParameterError } from '../../../tensor/src/errors';
