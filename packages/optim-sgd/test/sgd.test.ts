import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { sgd } from '@descent/optim-sgd';

describe('sgd', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('sgd')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: sgd, invalid: [{ lr: -1 }] });
});
