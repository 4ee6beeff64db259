/**
 * @descent/tensor — the one TensorFlow.js instance of Descent and the contracts every package shares.
 */
import * as tf from './tf';
export { tf };
export { useBackend, ready, backendReport, describeBackend, type BackendChoice, type BackendReport, type BackendAttempt } from './backend';
export { installFastMatMul } from './fast-matmul';
export { installNativeKernels, uninstallNativeKernels, nativeActive, nativeKernelCounts, type NativeStatus } from './native-kernels';
export { installWasmGradients } from './wasm-gradients';
export { dotProducts, dotProductsNative } from './dots';
export { gatherRows, gatherRowsAvailable } from './gather-rows';
export { conv2dBias } from './conv2d-bias';
export { batchNormTraining, batchNormTrainingNative, type BatchNormTrainingResult } from './batch-norm';
export { denseChainHvp, denseChainHvpAvailable, type ChainHvpOp } from './dense-chain-hvp';
export { denseStackGradients, denseStackAvailable, DENSE_STACK_ACTIVATIONS, type DenseStackActivation, type DenseStackLayer, type DenseStackResult } from './dense-stack';
export { setNativeFusion, nativeFusionEnabled } from './native-heap';
export { elementwiseProgram, sum, elementwiseFused, Expr, type Operand, type ElementwiseProgram, type ElementwiseCall, type RunOptions } from './elementwise';
export { DescentError, InvalidParameterError, NonFiniteGradientError, checkNumber } from './errors';
export { Rng, type RngState } from './random';
export { type ParamMap, mapParams, zipParams, applyUpdates, globalNorm, countParams, cloneParams, disposeParams, paramsOf } from './params';
export { type StateTree, type NamedStateTensor, stateTensors, stateBytes, disposeReplaced, flattenState, unflattenState, mergeState, renameStateKeys, escapeStateKey } from './state';
export {
  type GradientTransform,
  type UpdateExtras,
  type UpdateResult,
  type ApplyOptions,
  type TransformSpec,
  type Hyperparams,
  type PerParamState,
  type PerParamContext,
  type ProgramStep,
  chain,
  perParameter,
  getHyperparam,
  setHyperparam,
  step,
} from './transform';
export { checkGradients, guardGradients, type GradientCheck, type NonFinitePolicy } from './gradients';
export { TransformOptimizer, toTfOptimizer, registerTransformFactory, registerTransformOptimizer, type TfOptimizerOptions } from './tf-optimizer';
export {
  type Initializer,
  type InitContext,
  computeFans,
  initContext,
  calculateGain,
  toLayersInitializer,
  initializeModel,
  type LayersInitializerOptions,
  type LayersInitializer,
  type InitializeModelOptions,
} from './initializer';
export { clipByGlobalNorm, clipByValue, addDecayedWeights, scaleByLearningRate, maskTransform, parameterGroups, decayMask, type ParamMask } from './transforms';
export {
  type Schedule,
  constantSchedule,
  stepSchedule,
  exponentialSchedule,
  cosineSchedule,
  warmupCosineSchedule,
  oneCycleSchedule,
} from './schedules';
