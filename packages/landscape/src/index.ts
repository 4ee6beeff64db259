/**
 * @descent/landscape — loss landscapes of any tfjs-layers model: interpolation between points,
 * filter-normalised random, Hessian and PCA directions, 1-D curves and 2-D surfaces (also on
 * worker threads), weight-space trajectories (PCA, t-SNE), Gaussian surface fits and optimizer
 * paths, training dynamics from checkpoints, and mode connectivity by Bézier curves.
 */
export { randomDirection, normalizeDirection, differenceDirection, type DirectionNormalization, type OneDimensional, type DirectionOptions } from './directions';
export { hessianDirections, type HessianDirectionOptions, type HessianDirections } from './hessian-directions';
export { evaluatePoint, moveTo, snapshot, variablesOf, withRestore, lossTensor, defaultLoss, type LandscapeProblem, type PointValue } from './evaluate';
export { curve1d, interpolate, surface2d, linspace, type Curve, type Surface } from './surface';
export { saveSurface, loadSurface } from './io';
export { flattenParams, unflattenParams, layoutOf, type ParamLayout } from './flatten';
export { trajectoryPca, pcaDirections, type TrajectoryPca, type TrajectoryPoint, type PcaDirections } from './trajectory';
export { tsne, tsneObjective, jointProbabilities, squaredDistances, type TsneOptions, type TsneResult } from './tsne';
export { fitInvertedGaussian, invertedGaussian, type GaussianFit, type GaussianParams } from './gaussian-fit';
export { gaussianSurface, rosenbrock, beale, gaussianBowl, saddle, analyticSurface, evaluateSurfaceFn, ANALYTIC_SURFACES, type SurfaceFn } from './analytic-surfaces';
export { optimizerPath, surfaceValue, surfaceHessianDiagonal, type OptimizerPath, type OptimizerPathOptions, type PathPoint, type PlaneDomain } from './optimizer-path';
export { trainingDynamics, type DynamicsRecord, type DynamicsOptions, type NormKind } from './dynamics';
export { bezierPoint, trainBezierCurve, curveLoss, connectModes, type BezierTrainOptions, type BezierTrainResult, type ModeConnection } from './mode-connectivity';
export { InProcessExecutor, registerJobHandler, jobHandler, type Executor, type JobBatch, type JobHandler, type JobProgress, type RunOptions } from './executor';
export { WorkerPool, defaultExecutor, gridWorkerScript, type WorkerPoolOptions } from './worker-pool';
export { surface2dParallel, type ParallelSurfaceOptions } from './parallel-surface';
export { packSurface, registerSurfaceJobs, SURFACE_ROWS, type SurfaceShared, type SurfaceRowsJob, type SurfaceRowsResult } from './grid-jobs';
export { spectralDensityParallel, registerDensityJobs, DENSITY_RUNS, type ParallelDensityOptions, type DensityShared, type DensityRunJob } from './density-jobs';
export { packModel, unpackModel, type ModelPayload, type ArrayRecord } from './model-payload';
