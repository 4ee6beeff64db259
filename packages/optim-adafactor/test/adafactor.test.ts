import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { adafactor } from '@descent/optim-adafactor';

describe('adafactor', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('adafactor')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: adafactor, invalid: [{ lr: -1 }] });
});
