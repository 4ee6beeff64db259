import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { tf, useBackend, installWasmGradients } from '@descent/tensor';

interface TorchCase {
  name: string;
  x: { shape: number[]; values: number[] };
  filter: { shape: number[]; values: number[] };
  dy: { shape: number[]; values: number[] };
  strides: [number, number];
  pad: [[number, number], [number, number]];
  dFilter: number[];
  dX: number[];
}
// torch 1.13's conv2d gradients, written by tools/golden/conv_gradients.py.
const torchCases = (JSON.parse(readFileSync(new URL('../../../tools/golden/fixtures/tensor/conv-gradients.json', import.meta.url), 'utf8')) as { cases: TorchCase[] }).cases;

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case { x: [number, number, number, number]; f: [number, number, number, number]; strides: number | [number, number]; pad: Pad }

const CASES: Case[] = [
  { x: [3, 9, 8, 2], f: [3, 3, 2, 4], strides: 1, pad: 'same' },
  { x: [3, 9, 8, 2], f: [3, 3, 2, 4], strides: 1, pad: 'valid' },
  { x: [2, 9, 8, 3], f: [3, 2, 3, 5], strides: 2, pad: 'same' },
  { x: [2, 10, 7, 3], f: [2, 3, 3, 5], strides: 2, pad: 'valid' },
  { x: [2, 11, 9, 2], f: [5, 3, 2, 3], strides: [2, 1], pad: 'same' },
  { x: [4, 6, 6, 1], f: [1, 1, 1, 6], strides: 1, pad: 'valid' },
  { x: [2, 7, 8, 2], f: [3, 3, 2, 3], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
];

/** Gradients of Σ w·conv2d(x, f) with respect to x and f, w fixed: Conv2DBackpropInput and Conv2DBackpropFilter. */
function grads(c: Case): number[][] {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 11) as tf.Tensor4D;
    const f = tf.randomNormal(c.f, 0, 1, 'float32', 12) as tf.Tensor4D;
    const loss = (a: tf.Tensor, b: tf.Tensor) => {
      const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad);
      return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', 13)));
    };
    const [dx, df] = tf.grads(loss)([x, f]);
    return [Array.from(dx.dataSync()), Array.from(df.dataSync())];
  });
}

/** Conv2DBackpropFilter run directly on channels-first x [2, 3, 9, 8] and dy [2, 4, 5, 4]. */
function nchwKernel(): number[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([2, 3, 9, 8], 0, 1, 'float32', 21);
    const dy = tf.randomNormal([2, 4, 5, 4], 0, 1, 'float32', 22);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 2, 3, 4] };
    const df = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
    expect(df.shape).toEqual([3, 2, 3, 4]);
    return Array.from(df.dataSync());
  });
}

describe('wasm Conv2DBackpropFilter', () => {
  let reference: number[][][];
  let nchwReference: number[];
  beforeAll(async () => {
    await useBackend('cpu');
    reference = CASES.map(grads);
    nchwReference = nchwKernel();
    await useBackend('wasm');
  });
  afterAll(async () => {
    await useBackend('wasm');
  });

  it('is registered by useBackend("wasm") and installing again is a no-op', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(installWasmGradients('wasm')).toBe(false);
    expect(installWasmGradients('cpu')).toBe(false); // cpu has its own kernel
  });

  CASES.forEach((c, k) => {
    it(`equals the cpu kernel: x ${c.x}, filter ${c.f}, strides ${c.strides}, pad ${JSON.stringify(c.pad)}`, () => {
      const before = tf.memory().numTensors;
      const [dx, df] = grads(c);
      expect(tf.memory().numTensors).toBe(before);
      const [rx, rf] = reference[k];
      expect(df.length).toBe(rf.length);
      const scale = Math.max(...rf.map(Math.abs));
      expect(Math.max(...df.map((v, i) => Math.abs(v - rf[i]))) / scale).toBeLessThan(1e-5);
      // wasm's own Conv2DBackpropInput, checked on the same cases.
      const scaleX = Math.max(...rx.map(Math.abs));
      expect(Math.max(...dx.map((v, i) => Math.abs(v - rx[i]))) / scaleX).toBeLessThan(1e-5);
    });
  });

  it('NCHW input (only reachable through the kernel: wasm Conv2D itself is NHWC-only) equals the cpu kernel', () => {
    const out = nchwKernel();
    const scale = Math.max(...nchwReference.map(Math.abs));
    expect(Math.max(...out.map((v, i) => Math.abs(v - nchwReference[i]))) / scale).toBeLessThan(1e-5);
  });

  it.each(torchCases.map((c) => [c.name, c] as const))('matches torch.nn.functional.conv2d gradients: %s', (_name, c) => {
    const [df, dx] = tf.tidy(() => {
      const x = tf.tensor4d(c.x.values, c.x.shape as [number, number, number, number]);
      const f = tf.tensor4d(c.filter.values, c.filter.shape as [number, number, number, number]);
      const dy = tf.tensor4d(c.dy.values, c.dy.shape as [number, number, number, number]);
      const pad = [[0, 0], c.pad[0], c.pad[1], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
      const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, pad), dy)))([x, f]);
      return [Array.from(gf.dataSync()), Array.from(gx.dataSync())];
    });
    const worst = (got: number[], want: number[]) => Math.max(...got.map((v, i) => Math.abs(v - want[i]) / (1e-3 + Math.abs(want[i]))));
    expect(df.length).toBe(c.dFilter.length);
    expect(worst(df, c.dFilter)).toBeLessThan(1e-4);
    expect(worst(dx, c.dX)).toBeLessThan(1e-4);
  });

  it('leaves no wasm memory behind', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = backend.numDataIds();
    grads(CASES[2]);
    expect(backend.numDataIds()).toBe(before);
  });
});
