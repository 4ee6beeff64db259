import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { nadam } from '@descent/optim-nadam';

describe('nadam', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('nadam')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: nadam, invalid: [{ lr: -1 }] });
});
