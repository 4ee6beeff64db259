import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { adadelta } from '@descent/optim-adadelta';

describe('adadelta', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('adadelta')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: adadelta, invalid: [{ lr: -1 }] });
});
