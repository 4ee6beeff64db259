import { tf } from '@descent/tensor';

/** Runs `fn` `times` times after one warm-up call and returns how many tensors each later call left behind. */
export function tensorsLeakedPerCall(fn: () => void, times = 3): number {
  fn();
  const before = tf.memory().numTensors;
  for (let i = 0; i < times; i++) fn();
  return (tf.memory().numTensors - before) / times;
}
