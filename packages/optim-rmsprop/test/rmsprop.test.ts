import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { rmsprop } from '@descent/optim-rmsprop';

describe('rmsprop', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('rmsprop')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: rmsprop, invalid: [{ lr: -1 }] });
});
