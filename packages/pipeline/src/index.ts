/**
 * @descent/pipeline — typed pipelines (data → model → initializer → optimizer → training →
 * analyses), the same pipelines as JSON/YAML config files checked against a schema assembled from
 * the registry, and sweeps that expand into runs and resume where they stopped.
 */
export { definePipeline, runPipeline, readMarker, isFinished, type RunPipelineOptions, type PipelineResult, type PipelineMarker } from './pipeline';
export { runAnalyses, type RunAnalysesOptions, type AnalysesResult } from './run-analyses';
export { executeAnalyses, type Analysis, type AnalysisContext, type AnalysisRecord, type ResolvedAnalysis, type Samples } from './analyses';
export { analysisLine } from './report';
export { analysisSections } from './report-plots';
export { reportVersions } from './versions';
export { BUILTIN_ANALYSES, spectrumAnalysis, hessianAnalysis, landscapeAnalysis, topologyAnalysis, waveletAnalysis } from './analyses/index';
export { resolvePipeline, type ResolvedPipeline, type StepRecord } from './resolve';
export { pipelineJsonSchema, checkStructure } from './config-schema';
export { loadPipelineConfig, parsePipelineConfig, validatePipelineConfig } from './config-file';
export { expandSweep, runSweep, runName, applySetting, SWEEP_ALIASES, type SweepRun, type SweepManifest, type SweepResult, type RunSweepOptions, type SweepRunStatus } from './sweep';
export { pipelineRegistry, type PluginSource } from './plugins';
export { DATA_STEPS, syntheticImages, loadImageData, IMAGE_DATASETS, type ImageDatasetName, type ImageDataOptions, type PipelineData, type ShapedDataSource } from './data';
export { MODEL_STEPS, TRANSFORM_STEPS, SCHEDULE_STEPS, type ModelContext, type ScheduleContext } from './steps';
export type { Pipeline, PipelineConfig, StepRef, DataStep, ModelStep, InitStep, OptimizerStep, TransformStep, ScheduleStep, AnalysisStep, TrainingSettings, SweepSpec } from './types';
