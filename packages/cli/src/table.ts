import { textTable } from '@descent/report';
import type { EpochRecord } from '@descent/train';

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(2)} %`);
const num = (v: number | null, d = 4) => (v === null ? '—' : v.toFixed(d));

/** The per-epoch table printed at the end of a run. */
export function epochTable(records: EpochRecord[]): string {
  if (records.length === 0) return '(no completed epoch)';
  return textTable(
    records.map((r) => ({
      epoch: r.epoch,
      'train loss': num(r.trainLoss),
      'train acc': pct(r.trainAccuracy),
      'test loss': num(r.testLoss),
      'test acc': pct(r.testAccuracy),
      'grad norm': num(r.gradNorm, 3),
      lr: r.lr === null ? '—' : r.lr.toPrecision(3),
      's/epoch': r.seconds.toFixed(1),
      'ms/step': r.msPerStep.toFixed(1),
    })),
  );
}
