import { readFileSync } from 'node:fs';
import { tf, type ParamMap } from '@descent/tensor';
import { crossEntropy, type LossProblem } from '@descent/hessian';

export interface Case { name: string; activation: string; sizes: number[]; shapes: number[][]; x: number[]; y: number[]; theta: number[]; loss: number; grad: number[]; v: number[]; hv: number[]; eigenvalues: number[]; topAbsEigenvalues: number[]; trace: number; hessianDiag: number[] }
export const fixture = JSON.parse(readFileSync(new URL('../../../tools/golden/fixtures/hessian/mlp.json', import.meta.url), 'utf8')) as { cases: Case[] };

const ACT: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  relu: tf.relu,
  tanh: tf.tanh,
  sigmoid: tf.sigmoid,
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  softplus: (x) => tf.softplus(x),
  elu: tf.elu,
};

let n = 0;
export function setup(c: Case) {
  let at = 0;
  const params = c.shapes.map((s) => {
    const size = s.reduce((a, b) => a * b, 1);
    const v = tf.variable(tf.tensor(c.theta.slice(at, at + size), s), true, `h${n++}`);
    at += size;
    return v;
  });
  const x = tf.tensor2d(c.x, [c.y.length, c.sizes[0]]);
  const y = tf.tensor1d(c.y, 'int32');
  const problem: LossProblem = {
    params,
    loss: () => {
      let h: tf.Tensor = x;
      for (let i = 0; i < params.length; i += 2) {
        h = tf.add(tf.matMul(h, params[i]), params[i + 1]);
        if (i + 2 < params.length) h = ACT[c.activation](h);
      }
      return crossEntropy(h, y);
    },
  };
  const split = (flat: number[]): ParamMap => {
    let k = 0;
    return Object.fromEntries(params.map((p) => { const t = tf.tensor(flat.slice(k, k + p.size), p.shape); k += p.size; return [p.name, t]; }));
  };
  const flat = (m: ParamMap) => params.flatMap((p) => Array.from(m[p.name].dataSync()));
  return { problem, split, flat, dispose: () => tf.dispose([...params, x, y]) };
}

export const relErr = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / b.reduce((s, v) => s + v * v, 0));
