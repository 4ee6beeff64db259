import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { radam } from '@descent/optim-radam';

describe('radam', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('radam')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: radam, invalid: [{ lr: -1 }] });
});
