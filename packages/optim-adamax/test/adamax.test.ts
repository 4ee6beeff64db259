import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { adamax } from '@descent/optim-adamax';

describe('adamax', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('adamax')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: adamax, invalid: [{ lr: -1 }] });
});
