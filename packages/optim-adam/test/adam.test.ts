import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { adam } from '@descent/optim-adam';

describe('adam', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('adam')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: adam, invalid: [{ lr: -1 }] });
});
