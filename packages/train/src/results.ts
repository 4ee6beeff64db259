import { writeFileAtomic } from './atomic';
import { join } from 'node:path';

/** What the loop records after each epoch. Losses are sample-weighted means. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number | null;
  testAccuracy: number | null;
  /** Mean over the epoch's batches of the global gradient norm √Σ‖g‖². */
  gradNorm: number;
  /** Learning rate at the end of the epoch (null if the transform has none). */
  lr: number | null;
  seconds: number;
  msPerStep: number;
  /** Bytes held by live tensors, by the optimizer state, and the process RSS, at the end of the epoch. */
  tensorBytes: number;
  optimizerStateBytes: number;
  rssBytes: number;
  skippedSteps: number;
}

const COLUMNS: Array<keyof EpochRecord> = [
  'epoch',
  'trainLoss',
  'trainAccuracy',
  'testLoss',
  'testAccuracy',
  'gradNorm',
  'lr',
  'seconds',
  'msPerStep',
  'tensorBytes',
  'optimizerStateBytes',
  'rssBytes',
  'skippedSteps',
];

export function toJsonl(records: EpochRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

export function toCsv(records: EpochRecord[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of records) lines.push(COLUMNS.map((c) => (r[c] === null ? '' : String(r[c]))).join(','));
  return lines.join('\n') + '\n';
}

/** Rewrites results.jsonl and results.csv in `dir` (atomically, so a crash never leaves half a file). */
export function writeResults(dir: string, records: EpochRecord[]): void {
  writeFileAtomic(join(dir, 'results.jsonl'), toJsonl(records));
  writeFileAtomic(join(dir, 'results.csv'), toCsv(records));
}
