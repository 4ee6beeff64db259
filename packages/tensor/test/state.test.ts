import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, flattenState, unflattenState, mergeState, renameStateKeys, stateBytes, disposeReplaced, type StateTree } from '@descent/tensor';

describe('state trees', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('round-trip through flatten/unflatten, including names with slashes and empty slots', () => {
    const tree: StateTree = {
      hyper: { lr: 0.1, betas: [0.9, 0.999] },
      slots: { 'dense/kernel': { m: tf.tensor([1, 2]), step: 3 }, 'dense/bias': {}, '#odd$name~': { v: tf.tensor([5]) } },
      list: [],
    };
    const flat = flattenState(tree, 'opt');
    const back = unflattenState(flat, 'opt') as any;
    // Numbers come back bit for bit (float64), not rounded to float32.
    expect(back.hyper).toEqual({ lr: 0.1, betas: [0.9, 0.999] });
    expect(Array.from(back.slots['dense/kernel'].m.dataSync())).toEqual([1, 2]);
    expect(back.slots['dense/kernel'].step).toBe(3);
    expect(back.slots['dense/bias']).toEqual({});
    expect(Array.from(back.slots['#odd$name~'].v.dataSync())).toEqual([5]);
    expect(back.list).toEqual([]);
  });

  it('renames parameter keys in flattened names', () => {
    const flat = flattenState({ slots: { 'a/kernel': { m: tf.tensor([1]) } } });
    const renamed = renameStateKeys(flat, { 'a/kernel': 'b/kernel' });
    const back = unflattenState(renamed) as any;
    expect(Object.keys(back.slots)).toEqual(['b/kernel']);
  });

  it('merges new parameters in without touching existing state', () => {
    const old = { hyper: { lr: 1 }, slots: { a: { m: tf.tensor([1]) } } };
    const fresh = { hyper: { lr: 2 }, slots: { b: { m: tf.tensor([0]) } } };
    const merged = mergeState(old, fresh) as any;
    expect(merged.hyper.lr).toBe(1);
    expect(Object.keys(merged.slots).sort()).toEqual(['a', 'b']);
    expect(merged.slots.a.m).toBe(old.slots.a.m);
  });

  it('counts bytes and disposes only replaced tensors', () => {
    const kept = tf.zeros([10]);
    const dropped = tf.zeros([5]);
    const old = { a: kept, b: dropped };
    expect(stateBytes(old)).toBe(60);
    disposeReplaced(old, { a: kept });
    expect(kept.isDisposed).toBe(false);
    expect(dropped.isDisposed).toBe(true);
  });
});
