import { describe } from 'vitest';
import { initializerConformance } from '@descent/testkit';
import { kaimingNormal } from '@descent/init-kaiming';

describe('kaiming-normal', () => {
  initializerConformance({ plugin: kaimingNormal, invalid: [{ gain: 0 }] });
});
