import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { lamb } from '@descent/optim-lamb';

describe('lamb', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('lamb')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: lamb, invalid: [{ lr: -1 }] });
});
