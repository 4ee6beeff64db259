/**
 * @descent/train — a training loop over any Descent gradient transform, with per-epoch metrics,
 * progress output, atomic results and checkpoints, resume, and divergence detection.
 */
export { train, evaluate, formatEpoch, type TrainOptions, type TrainResult, type TrainCallbacks, type BatchEvent, type HessianSchedule } from './loop';
export { type Batch, type DataSource } from './data';
export { type EpochRecord, writeResults, toCsv, toJsonl } from './results';
export { saveCheckpoint, loadCheckpoint, latestCheckpoint, listCheckpoints, loadCheckpointWeights, pickCheckpointEntry, CheckpointError, type CheckpointMeta, type CheckpointEntry } from './checkpoint';
export { softmaxCrossEntropy, countCorrect } from './losses';
export { createProgress, type ProgressMode, type ProgressWriter } from './progress';
export { writeFileAtomic } from './atomic';
