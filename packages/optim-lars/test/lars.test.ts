import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { lars } from '@descent/optim-lars';

describe('lars', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('lars')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: lars, invalid: [{ lr: -1 }] });
});
