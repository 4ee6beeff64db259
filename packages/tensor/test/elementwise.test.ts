import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { tf, useBackend, elementwiseProgram, elementwiseFused, setNativeFusion, sum, Rng, InvalidParameterError, DescentError } from '../src/index';
import { nativeBlas } from '@descent/native-blas';

/** Runs `fn` with fusion on or off. */
function withFusion<T>(on: boolean, fn: () => T): T {
  const previous = setNativeFusion(on);
  try {
    return fn();
  } finally {
    setNativeFusion(previous);
  }
}

/** The kernels `fn` runs, by tf.profile. */
async function kernelNames(fn: () => Record<string, tf.Tensor>): Promise<string[]> {
  const info = await tf.profile(() => Object.values(fn()));
  tf.dispose(info.result as tf.Tensor[]);
  return info.kernels.map((k) => k.name);
}

// Every operation, scalars folded, constants, register reuse over a long chain, an unused input.
const everything = elementwiseProgram('everything', ['a', 'b', 'c', 'unused'], ['s', 't'], ({ a, b, c }, { s, t }) => {
  let chain = a;
  for (let i = 0; i < 12; i++) chain = chain.mul(0.9).add(b.mul(s.mul(i)));
  return {
    add: a.add(b),
    sub: a.sub(b),
    mul: a.mul(b),
    div: a.div(b),
    max: a.maximum(b),
    min: a.minimum(b),
    neg: a.neg(),
    abs: a.abs(),
    sqrt: a.abs().sqrt(),
    sign: a.sign(),
    square: a.square(),
    folded: a.mul(sum(1).sub(s).div(t)),
    broadcast: a.mul(c),
    chain,
  };
});

describe('elementwiseProgram', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterEach(() => setNativeFusion(true));

  it('runs fused on wasm when the native addon is built', () => {
    expect(elementwiseFused()).toBe(nativeBlas() !== null);
  });

  it('gives bit-identical results fused and as TensorFlow.js ops, across chunks, with NaN, ±0 and tiny values', () => {
    const rng = new Rng(7);
    const n = 1000; // four chunks of 256 and a remainder
    const special = [NaN, 0, -0, 2 ** -30, -(2 ** -30), Infinity, -Infinity, 1e-45];
    const av = Array.from(rng.randomNormal([n]).dataSync());
    const bv = Array.from(rng.randomNormal([n]).dataSync());
    special.forEach((v, i) => {
      av[i] = v;
      bv[i + 8] = v;
    });
    const a = tf.tensor1d(av), b = tf.tensor1d(bv), c = tf.tensor1d([1.5]), unused = tf.zeros([3]);
    const scalars = { s: 0.3, t: 7 };
    const before = tf.memory().numTensors;
    const fused = withFusion(true, () => everything.run({ a, b, c }, scalars));
    const ops = withFusion(false, () => everything.run({ a, b, c, unused }, scalars));
    expect(tf.memory().numTensors).toBe(before + 2 * everything.outputs.length);
    for (const o of everything.outputs) {
      const f = fused[o].dataSync(), r = ops[o].dataSync();
      expect(fused[o].shape, o).toEqual([n]);
      for (let i = 0; i < n; i++) {
        if (!Object.is(f[i], r[i]) && !(Number.isNaN(f[i]) && Number.isNaN(r[i]))) {
          expect(`${o}[${i}] = ${f[i]}`, `a=${av[i]} b=${bv[i]}`).toBe(`${o}[${i}] = ${r[i]}`);
        }
      }
    }
    tf.dispose([...Object.values(fused), ...Object.values(ops), a, b, c, unused]);
  });

  it('computes what the formulas say (float64 reference)', () => {
    const a = tf.tensor1d([-3, -1e-30, 0, 2, 9]), b = tf.tensor1d([2, 2, 2, -4, 3]);
    const r = everything.run({ a, b, c: tf.scalar(2) }, { s: 0.5, t: 4 });
    expect(Array.from(r.sign.dataSync())).toEqual([-1, -1, 0, 1, 1]);
    expect(Array.from(r.max.dataSync())).toEqual([2, 2, 2, 2, 9]);
    expect(Array.from(r.folded.dataSync())).toEqual([-3 * 0.125, Math.fround(-1e-30 * 0.125), 0, 0.25, 9 * 0.125]);
    expect(Array.from(r.broadcast.dataSync())).toEqual([-6, Math.fround(-2e-30), 0, 4, 18]);
    expect(Array.from(r.div.dataSync())).toEqual([-1.5, Math.fround(-1e-30 / 2), 0, -0.5, 3]);
    tf.dispose(Object.values(r));
    tf.dispose([a, b]);
  });

  it('treats NaN in maximum and minimum as the wasm kernels do: a NaN first operand comes through', () => {
    const a = tf.tensor1d([NaN, 1, NaN]), b = tf.tensor1d([1, NaN, NaN]);
    for (const fused of [true, false]) {
      const r = withFusion(fused, () => everything.run({ a, b, c: tf.scalar(1) }, { s: 1, t: 1 }));
      expect(Array.from(r.max.dataSync()), `fused ${fused}`).toEqual([NaN, 1, NaN]);
      expect(Array.from(r.min.dataSync()), `fused ${fused}`).toEqual([NaN, 1, NaN]);
      tf.dispose(Object.values(r));
    }
    tf.dispose([a, b]);
  });

  it('runs one kernel when fused, one per operation otherwise', async () => {
    const x = tf.ones([300]), y = tf.ones([300]);
    const prog = elementwiseProgram('three', ['x', 'y'], ['k'], ({ x, y }, { k }) => ({ out: x.mul(k).add(y).sqrt() }));
    expect(prog.operations).toBe(3);
    const fusedNames = await kernelNames(() => prog.run({ x, y }, { k: 2 }));
    const opNames = await kernelNames(() => withFusion(false, () => prog.run({ x, y }, { k: 2 })));
    if (elementwiseFused()) expect(fusedNames).toEqual(['DescentElementwise']);
    expect(opNames).toEqual(['Multiply', 'Add', 'Sqrt']);
    tf.dispose([x, y]);
  });

  it('keeps shapes, handles empty tensors and does not leak', () => {
    const prog = elementwiseProgram('scale', ['x'], ['k'], ({ x }, { k }) => ({ y: x.mul(k) }));
    const x = tf.ones([2, 3, 4]), e = tf.zeros([0, 5]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const r = prog.run({ x }, { k: 3 });
      expect(r.y.shape).toEqual([2, 3, 4]);
      r.y.dispose();
      const r0 = prog.run({ x: e }, { k: 3 });
      expect(r0.y.shape).toEqual([0, 5]);
      r0.y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, e]);
  });

  it('rejects bad inputs with clear errors', () => {
    const prog = elementwiseProgram('pair', ['x', 'y'], ['k'], ({ x, y }, { k }) => ({ z: x.add(y).mul(k) }));
    const x = tf.ones([4]), y = tf.ones([5]), i = tf.ones([4], 'int32');
    expect(() => prog.run({ x, y }, { k: 1 })).toThrow(InvalidParameterError);
    expect(() => prog.run({ x, y }, { k: 1 })).toThrow(/input "y" shape.*\[5\].*\[4\]/);
    expect(() => prog.run({ x, y: i }, { k: 1 })).toThrow(/dtype.*int32.*float32/);
    expect(() => prog.run({ x }, { k: 1 })).toThrow(/input "y"/);
    expect(() => prog.run({ x, y: x }, { k: 'a' as unknown as number })).toThrow(/scalar "k"/);
    expect(() => elementwiseProgram('const', ['x'], ['k'], (_x, { k }) => ({ z: k.mul(2) }))).toThrow(DescentError);
    tf.dispose([x, y, i]);
  });

  it('runMany: several groups of any shapes and their own scalars in one kernel, equal to run for each', async () => {
    const prog = elementwiseProgram('axpy', ['x', 'y', 'k'], ['a'], ({ x, y, k }, { a }) => ({ out: x.mul(a).add(y).div(k), twice: x.add(x) }));
    const rng = new Rng(3);
    const calls = [[7], [2, 300], [0, 4], [1]].map((shape, g) => ({
      inputs: { x: rng.randomNormal(shape), y: rng.randomNormal(shape), k: tf.scalar(g + 2) }, // k: a single value, broadcast
      scalars: { a: 0.1 * (g + 1) },
    }));
    const before = tf.memory().numTensors;
    const many = prog.runMany(calls);
    const one = withFusion(false, () => calls.map((c) => prog.run(c.inputs, c.scalars)));
    many.forEach((r, g) => {
      for (const o of ['out', 'twice'] as const) {
        expect(r[o].shape).toEqual(calls[g].inputs.x.shape);
        expect(Array.from(r[o].dataSync())).toEqual(Array.from(one[g][o].dataSync()));
      }
    });
    tf.dispose([...many, ...one].flatMap((r) => Object.values(r)));
    expect(tf.memory().numTensors).toBe(before);
    if (elementwiseFused()) expect(await kernelNames(() => Object.assign({}, ...prog.runMany(calls).map((r, g) => ({ [`o${g}`]: r.out, [`t${g}`]: r.twice }))))).toEqual(['DescentElementwise']);
    expect(prog.runMany([])).toEqual([]);
    expect(() => prog.runMany([calls[0], { inputs: { x: calls[0].inputs.x, y: calls[1].inputs.y, k: calls[0].inputs.k }, scalars: { a: 1 } }])).toThrow(/input "y" shape/);
    tf.dispose(calls.flatMap((c) => Object.values(c.inputs)));
  });

  it('applied(): param + update in the same pass, rounded as adding afterwards', () => {
    const prog = elementwiseProgram('step', ['grad', 'm'], ['lr'], ({ grad, m }, { lr }) => {
      const m1 = m.mul(0.9).add(grad);
      return { update: m1.mul(lr.neg()), m: m1 };
    });
    const applied = prog.applied();
    expect(prog.applied()).toBe(applied); // cached
    expect(applied.outputs.slice().sort()).toEqual(['m', 'param']);
    const rng = new Rng(5);
    const grad = rng.randomNormal([1000]), m = rng.randomNormal([1000]), param = rng.randomNormal([1000]);
    for (const fused of [true, false]) {
      withFusion(fused, () => {
        const u = prog.run({ grad, m }, { lr: 0.3 });
        const a = applied.run({ grad, m, param }, { lr: 0.3 });
        const added = tf.add(param, u.update);
        expect(Array.from(a.param.dataSync())).toEqual(Array.from(added.dataSync()));
        expect(Array.from(a.m.dataSync())).toEqual(Array.from(u.m.dataSync()));
        tf.dispose([...Object.values(u), ...Object.values(a), added]);
      });
    }
    const noUpdate = elementwiseProgram('plain', ['x'], [], ({ x }) => ({ y: x.add(1) }));
    expect(() => noUpdate.applied()).toThrow(/no output "update"/);
    tf.dispose([grad, m, param]);
  });

  it('runMany in place: outputs take over the memory of same-named inputs only where nothing else shares it', () => {
    const prog = elementwiseProgram('decay', ['m', 'g'], ['k'], ({ m, g }, { k }) => ({ m: m.mul(k).add(g), other: g.mul(2) }));
    const rng = new Rng(9);
    const g = rng.randomNormal([600]);
    const own = rng.randomNormal([600]);
    const shared = rng.randomNormal([600]);
    const snapshot = shared.clone(); // shares the memory: must keep its values
    const expected = [own, shared].map((m) => withFusion(false, () => prog.run({ m, g }, { k: 0.5 })));
    const before = tf.memory().numTensors;
    const [a, b] = prog.runMany([{ inputs: { m: own, g }, scalars: { k: 0.5 } }, { inputs: { m: shared, g }, scalars: { k: 0.5 } }], { inPlace: true });
    expect(Array.from(a.m.dataSync())).toEqual(Array.from(expected[0].m.dataSync()));
    expect(Array.from(b.m.dataSync())).toEqual(Array.from(expected[1].m.dataSync()));
    expect(Array.from(a.other.dataSync())).toEqual(Array.from(expected[0].other.dataSync()));
    expect(Array.from(snapshot.dataSync())).toEqual(Array.from(shared.dataSync())); // untouched
    if (elementwiseFused()) {
      // `own` gave its memory to a.m (it now reads the new values); `shared` did not (a clone shares it).
      expect(Array.from(own.dataSync())).toEqual(Array.from(a.m.dataSync()));
      expect(Array.from(shared.dataSync())).not.toEqual(Array.from(b.m.dataSync()));
    }
    // Disposing the given-up inputs leaves the outputs intact.
    tf.dispose([own, shared]);
    expect(Array.from(a.m.dataSync())).toEqual(Array.from(expected[0].m.dataSync()));
    tf.dispose([...Object.values(a), ...Object.values(b)]);
    expect(tf.memory().numTensors).toBe(before - 2);
    // An input read twice in one call (here by two groups) is never overwritten.
    const m = rng.randomNormal([50]);
    const mCopy = Array.from(m.dataSync());
    const twice = prog.runMany([{ inputs: { m, g: m }, scalars: { k: 1 } }], { inPlace: true });
    expect(Array.from(m.dataSync())).toEqual(mCopy);
    tf.dispose([...Object.values(twice), m, g, snapshot, ...expected.flatMap((e) => Object.values(e))]);
  });

  it('runMany over large tensors (split between threads natively) equals the ops, bit for bit', () => {
    const prog = elementwiseProgram('adam-like', ['g', 'm', 'v'], ['b1', 'b2'], ({ g, m, v }, { b1, b2 }) => {
      const m1 = m.mul(b1).add(g.mul(sum(1).sub(b1)));
      const v1 = v.mul(b2).add(g.square().mul(sum(1).sub(b2)));
      return { m: m1, v: v1, update: m1.div(v1.sqrt().add(1e-8)).neg() };
    });
    const rng = new Rng(12);
    const calls = [[200_003], [513, 300], [7]].map((shape) => ({
      inputs: { g: rng.randomNormal(shape), m: rng.randomNormal(shape), v: tf.abs(rng.randomNormal(shape)) },
      scalars: { b1: 0.9, b2: 0.999 },
    }));
    const fused = prog.runMany(calls);
    const ops = withFusion(false, () => prog.runMany(calls));
    fused.forEach((r, g) => (['m', 'v', 'update'] as const).forEach((o) => expect(Array.from(r[o].dataSync())).toEqual(Array.from(ops[g][o].dataSync()))));
    tf.dispose([...fused, ...ops].flatMap((r) => Object.values(r)).concat(calls.flatMap((c) => Object.values(c.inputs))));
  });
});
