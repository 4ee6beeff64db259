import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { adabelief } from '@descent/optim-adabelief';

describe('adabelief', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add `golden: loadGolden('adabelief')` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: adabelief, invalid: [{ lr: -1 }] });
});
