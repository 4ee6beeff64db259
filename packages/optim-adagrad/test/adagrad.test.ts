import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { adagrad } from '@descent/optim-adagrad';

describe('adagrad', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('adagrad')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: adagrad, invalid: [{ lr: -1 }] });
});
