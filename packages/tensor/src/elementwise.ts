import * as tf from './tf';
import { DescentError, InvalidParameterError } from './errors';
import { nativeFusionEnabled, size, wasmOf } from './native-heap';

/**
 * Element-wise programs: a chain of float32 operations written once, run either as one fused
 * native pass (the `DescentElementwise` kernel that @descent/native-blas provides on the wasm
 * backend) or, anywhere else, as the equivalent TensorFlow.js operations. An optimizer step is
 * ten to twenty element-wise operations per parameter; TensorFlow.js runs each as its own
 * kernel that reads and writes every element and allocates its output, the fused pass reads
 * each input once and writes each output once. Both paths round every operation to float32 in
 * the same order, so they give the same numbers.
 *
 * Sub-expressions made only of scalars and constants are evaluated in float64 on every run (as
 * `tf.mul(x, 1 - beta)` does in JavaScript) and enter the program as one scalar.
 */

const OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'neg', 'abs', 'sqrt', 'sign', 'square'] as const;
type OpName = (typeof OPS)[number];
const OP_CODE = Object.fromEntries(OPS.map((op, i) => [op, i])) as Record<OpName, number>;
const UNARY = new Set<OpName>(['neg', 'abs', 'sqrt', 'sign', 'square']);

export type Operand = Expr | number;

/** A node of an element-wise program: an input, a scalar, a constant or an operation. */
export class Expr {
  /** @internal */
  constructor(
    /** @internal */ readonly kind: 'input' | 'scalar' | 'const' | 'op',
    /** @internal */ readonly name: string,
    /** @internal */ readonly args: readonly Expr[] = [],
    /** @internal */ readonly value = 0,
  ) {}

  add(o: Operand): Expr { return op('add', this, o); }
  sub(o: Operand): Expr { return op('sub', this, o); }
  mul(o: Operand): Expr { return op('mul', this, o); }
  div(o: Operand): Expr { return op('div', this, o); }
  /** max(this, o) as the wasm backend's `tf.maximum`: NaN in `this` comes through, NaN in `o` does not. */
  maximum(o: Operand): Expr { return op('maximum', this, o); }
  minimum(o: Operand): Expr { return op('minimum', this, o); }
  neg(): Expr { return op('neg', this); }
  abs(): Expr { return op('abs', this); }
  sqrt(): Expr { return op('sqrt', this); }
  /** −1, 0 or 1 as torch.sign (0 for ±0 and NaN), exact also for tiny values. */
  sign(): Expr { return op('sign', this); }
  square(): Expr { return op('square', this); }
}

const constant = (v: number) => new Expr('const', String(v), [], v);
const asExpr = (o: Operand) => (typeof o === 'number' ? constant(o) : o);
function op(name: OpName, a: Expr, b?: Operand): Expr {
  return new Expr('op', name, b === undefined ? [a] : [a, asExpr(b)]);
}

/** Adds b to a, both Exprs or numbers: `sum(a, b, c)` reads better than a chain of `add`s in long formulas. */
export function sum(...terms: Operand[]): Expr {
  const [first, ...rest] = terms.map(asExpr);
  return rest.reduce((acc, t) => acc.add(t), first);
}

export interface ElementwiseProgram<I extends string, S extends string, O extends string> {
  readonly name: string;
  readonly inputs: readonly I[];
  readonly scalars: readonly S[];
  readonly outputs: readonly O[];
  /** Operations per element (for the record: what one fused pass replaces). */
  readonly operations: number;
  /**
   * Runs the program. Every input is float32 with one shape (an input of a single element is
   * used for every element); the outputs have that shape. Fused when the backend has the native
   * kernel and `setNativeFusion` did not turn it off; otherwise TensorFlow.js ops.
   */
  run(inputs: Partial<Record<I, tf.Tensor>>, scalars: Record<S, number>): Record<O, tf.Tensor>;
  /**
   * Several runs of the program at once, each with its own tensors (any shapes) and scalars:
   * one native call where fused (an optimizer step over all parameters, as torch's `foreach`
   * kernels), else one `run` after the other. The same results as calling `run` for each.
   */
  runMany(calls: ReadonlyArray<ElementwiseCall<I, S>>, options?: RunOptions): Array<Record<O, tf.Tensor>>;
  /**
   * This program with its output `update` replaced by `param` = param + update, rounded as
   * adding the update afterwards would: a step that writes the new parameter value in the same
   * pass. The program must have an output named `update`; the variant reads the input `param`.
   */
  applied(): ElementwiseProgram<I | 'param', S, Exclude<O, 'update'> | 'param'>;
  /** The inputs this program reads (the others may be left out of `run`). */
  readonly usedInputs: readonly I[];
}

export interface RunOptions {
  /**
   * The caller gives up the inputs: an output with the name of an input may be written into that
   * input's memory (as torch's in-place `foreach` ops update their tensors), where no other tensor
   * shares the memory and no other input of the call reads it. The input tensors then hold the
   * new values until the caller disposes them; read the outputs instead. An optimizer step over
   * state and variables it replaces right away (toTfOptimizer) saves a pass over memory this way.
   */
  inPlace?: boolean;
}

/** One run of a program in {@link ElementwiseProgram.runMany}. */
export interface ElementwiseCall<I extends string, S extends string> {
  inputs: Partial<Record<I, tf.Tensor>>;
  scalars: Record<S, number>;
}

interface Compiled {
  nIn: number;
  /** Scalar registers: the named ones, then constants and folded scalar expressions. */
  scalarNodes: Expr[];
  nTemps: number;
  code: Int32Array;
  outRegs: Int32Array;
}

/**
 * Defines a program from named tensor inputs and named scalars. `body` runs once, here; plain
 * JavaScript conditions in it (a config flag) choose which operations the program has.
 *
 *     const adamStep = elementwiseProgram('adam', ['g', 'm', 'v'], ['b1', 'b2'], ({ g, m, v }, { b1, b2 }) => {
 *       const m1 = m.mul(b1).add(g.mul(sum(1).sub(b1)));
 *       ...
 *       return { m: m1, v: v1, update };
 *     });
 *     const { m, v, update } = adamStep.run({ g, m, v }, { b1: 0.9, b2: 0.999 });
 */
export function elementwiseProgram<I extends string, S extends string, O extends string>(
  name: string,
  inputs: readonly I[],
  scalars: readonly S[],
  body: (x: Record<I, Expr>, s: Record<S, Expr>) => Record<O, Expr>,
): ElementwiseProgram<I, S, O> {
  const inputNodes = inputs.map((n) => new Expr('input', n));
  const scalarNodes = scalars.map((n) => new Expr('scalar', n));
  const result = body(
    Object.fromEntries(inputs.map((n, i) => [n, inputNodes[i]])) as Record<I, Expr>,
    Object.fromEntries(scalars.map((n, i) => [n, scalarNodes[i]])) as Record<S, Expr>,
  );
  const outputs = Object.keys(result) as O[];
  if (outputs.length === 0) throw new DescentError('BAD_PROGRAM', `elementwise program "${name}" has no outputs`);
  const order = topological(outputs.map((o) => result[o]));
  const isScalar = scalarness(order);
  for (const o of outputs) {
    if (isScalar.get(result[o]))
      throw new DescentError('BAD_PROGRAM', `elementwise program "${name}": output "${o}" does not depend on any input tensor`);
  }
  // Inputs the outputs do not depend on (a config flag left them out) need not be passed.
  const used = new Set(order);
  const usedInputs = inputs.filter((_, i) => used.has(inputNodes[i]));
  const compiled = compile(order, isScalar, inputNodes.filter((e) => used.has(e)), scalarNodes, outputs.map((o) => result[o]));
  const operations = order.filter((e) => e.kind === 'op' && !isScalar.get(e)).length;

  function runOps(x: Partial<Record<I, tf.Tensor>>, s: Record<S, number>): Record<O, tf.Tensor> {
    return tf.tidy(() => {
      const values = new Map<Expr, tf.Tensor | number>();
      inputNodes.forEach((e, i) => values.set(e, x[inputs[i]]!));
      scalarNodes.forEach((e, i) => values.set(e, s[scalars[i]]));
      for (const e of order) {
        if (values.has(e)) continue;
        if (e.kind === 'const') values.set(e, e.value);
        else if (e.kind === 'op') values.set(e, apply(e.name as OpName, e.args.map((a) => values.get(a)!)));
      }
      return Object.fromEntries(outputs.map((o) => [o, values.get(result[o]) as tf.Tensor])) as Record<O, tf.Tensor>;
    }) as Record<O, tf.Tensor>;
  }

  function scalarValues(s: Record<S, number>): Float64Array {
    const values = new Map<Expr, number>();
    scalarNodes.forEach((e, i) => values.set(e, s[scalars[i]]));
    const evaluate = (e: Expr): number => {
      let v = values.get(e);
      if (v === undefined) {
        v = e.kind === 'const' ? e.value : (apply(e.name as OpName, e.args.map(evaluate)) as number);
        values.set(e, v);
      }
      return v;
    };
    return Float64Array.from(compiled.scalarNodes, evaluate);
  }

  function checkScalars(s: Record<S, number>): void {
    for (const k of scalars) {
      if (typeof s[k] !== 'number') throw new InvalidParameterError(`${name}: scalar "${k}"`, s[k], 'a number');
    }
  }

  // For in-place runs: the input register each output may take over (an input of the same name),
  // else -1; none where an output is an input itself (it would be read after being overwritten).
  const identityOutput = Array.from(compiled.outRegs).some((r) => r < compiled.nIn);
  const aliases = Int32Array.from(outputs, (o) => (identityOutput ? -1 : usedInputs.indexOf(o as unknown as I)));

  function runMany(calls: ReadonlyArray<ElementwiseCall<I, S>>, options: RunOptions = {}): Array<Record<O, tf.Tensor>> {
    const shapes = calls.map((c) => {
      checkScalars(c.scalars);
      return checkInputs(name, usedInputs, c.inputs);
    });
    if (calls.length === 0) return [];
    if (!elementwiseFused()) return calls.map((c) => runOps(c.inputs, c.scalars));
    const kernelInputs: Record<string, tf.Tensor> = {};
    calls.forEach((c, g) => usedInputs.forEach((n, i) => (kernelInputs[`g${g}x${i}`] = c.inputs[n]!)));
    const groupScalars = new Float64Array(calls.length * compiled.scalarNodes.length);
    calls.forEach((c, g) => groupScalars.set(scalarValues(c.scalars), g * compiled.scalarNodes.length));
    const outs = tf.engine().runKernel(
      KERNEL,
      kernelInputs as unknown as tf.NamedTensorMap,
      { shapes, nIn: compiled.nIn, nTemps: compiled.nTemps, code: compiled.code, outRegs: compiled.outRegs, scalars: groupScalars, aliases: options.inPlace ? aliases : null } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(outs) ? outs : [outs];
    return calls.map((_, g) => Object.fromEntries(outputs.map((o, k) => [o, list[g * outputs.length + k]])) as Record<O, tf.Tensor>);
  }

  let appliedVariant: ElementwiseProgram<I | 'param', S, Exclude<O, 'update'> | 'param'> | undefined;

  return {
    name,
    inputs,
    scalars,
    outputs,
    operations,
    usedInputs,
    run: (x, s) => runMany([{ inputs: x, scalars: s }])[0],
    runMany,
    applied() {
      if (appliedVariant) return appliedVariant;
      if (!outputs.includes('update' as O)) throw new DescentError('BAD_PROGRAM', `elementwise program "${name}" has no output "update" to apply`);
      const withParam = (inputs.includes('param' as I) ? inputs : [...inputs, 'param']) as Array<I | 'param'>;
      appliedVariant = elementwiseProgram(`${name}+apply`, withParam, scalars, (x, s) => {
        const { update, ...rest } = body(x as Record<I, Expr>, s) as Record<string, Expr>;
        return { ...rest, param: x.param.add(update) } as Record<Exclude<O, 'update'> | 'param', Expr>;
      });
      return appliedVariant;
    },
  };
}

/** The common shape of the inputs (single-element inputs broadcast); a clear error otherwise. */
function checkInputs(name: string, inputs: readonly string[], x: Partial<Record<string, tf.Tensor>>): number[] {
  let shape: number[] | undefined;
  for (const k of inputs) {
    const t = x[k]!;
    if (!(t instanceof tf.Tensor)) throw new InvalidParameterError(`${name}: input "${k}"`, t, 'a tf.Tensor');
    if (t.dtype !== 'float32') throw new InvalidParameterError(`${name}: input "${k}" dtype`, t.dtype, 'float32');
    if (t.size === 1 && t.rank <= 1) continue;
    if (shape === undefined) shape = t.shape;
    else if (!tf.util.arraysEqual(shape, t.shape)) {
      throw new InvalidParameterError(`${name}: input "${k}" shape`, `[${t.shape}]`, `[${shape}] like the other inputs, or a single element`);
    }
  }
  return shape ?? x[inputs[0]]!.shape;
}

function apply(name: OpName, args: Array<tf.Tensor | number>): tf.Tensor | number {
  const [a, b] = args;
  if (args.every((v) => typeof v === 'number')) return applyNumber(name, a as number, b as number);
  switch (name) {
    case 'add': return tf.add(a, b);
    case 'sub': return tf.sub(a, b);
    case 'mul': return tf.mul(a, b);
    case 'div': return tf.div(a, b);
    case 'maximum': return tf.maximum(a, b);
    case 'minimum': return tf.minimum(a, b);
    case 'neg': return tf.neg(a as tf.Tensor);
    case 'abs': return tf.abs(a as tf.Tensor);
    case 'sqrt': return tf.sqrt(a as tf.Tensor);
    case 'square': return tf.square(a as tf.Tensor);
    case 'sign': return exactSign(a as tf.Tensor);
  }
}

/**
 * sign(x) for every x: the wasm backend's `Sign` returns 0 for |x| ≤ 2⁻²³ (measured), so it is
 * built from comparisons, which are exact everywhere.
 */
function exactSign(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.cast(tf.greater(x, 0), 'float32'), tf.cast(tf.less(x, 0), 'float32')));
}

function applyNumber(name: OpName, a: number, b: number): number {
  switch (name) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'maximum': return a < b ? b : a; // as the wasm kernels (std::max)
    case 'minimum': return b < a ? b : a;
    case 'neg': return -a;
    case 'abs': return Math.abs(a);
    case 'sqrt': return Math.sqrt(a);
    case 'square': return a * a;
    case 'sign': return a > 0 ? 1 : a < 0 ? -1 : 0;
  }
}

function topological(roots: Expr[]): Expr[] {
  const seen = new Set<Expr>();
  const order: Expr[] = [];
  const visit = (e: Expr) => {
    if (seen.has(e)) return;
    seen.add(e);
    e.args.forEach(visit);
    order.push(e);
  };
  roots.forEach(visit);
  return order;
}

/** Which nodes depend on scalars and constants only. */
function scalarness(order: Expr[]): Map<Expr, boolean> {
  const m = new Map<Expr, boolean>();
  for (const e of order) m.set(e, e.kind === 'scalar' || e.kind === 'const' || (e.kind === 'op' && e.args.every((a) => m.get(a))));
  return m;
}

/** Registers and instructions; temporaries are reused after their last read (outputs live to the end). */
function compile(order: Expr[], isScalar: Map<Expr, boolean>, inputNodes: Expr[], named: Expr[], outputs: Expr[]): Compiled {
  const vectorOps = order.filter((e) => e.kind === 'op' && !isScalar.get(e));
  // Scalar registers: the named scalars, then every scalar-only operand a vector op reads.
  const scalarNodes = [...named];
  for (const e of vectorOps) for (const a of e.args) if (isScalar.get(a) && !scalarNodes.includes(a)) scalarNodes.push(a);
  const nIn = inputNodes.length, nS = scalarNodes.length;
  const reg = new Map<Expr, number>();
  inputNodes.forEach((e, i) => reg.set(e, i));
  scalarNodes.forEach((e, i) => reg.set(e, nIn + i));
  const lastUse = new Map<Expr, number>();
  vectorOps.forEach((e, i) => e.args.forEach((a) => lastUse.set(a, i)));
  for (const o of outputs) lastUse.set(o, Infinity);
  const free: number[] = [];
  let nTemps = 0;
  const code = new Int32Array(vectorOps.length * 4);
  vectorOps.forEach((e, i) => {
    const [a, b = a] = e.args.map((x) => reg.get(x)!);
    // Operands whose last read is this instruction free their register for its result.
    for (const x of new Set(e.args)) if (lastUse.get(x) === i && reg.get(x)! >= nIn + nS) free.push(reg.get(x)!);
    const dst = free.pop() ?? nIn + nS + nTemps++;
    reg.set(e, dst);
    code.set([OP_CODE[e.name as OpName], dst, a, b], 4 * i);
    if (UNARY.has(e.name as OpName)) code[4 * i + 3] = a;
  });
  return { nIn, scalarNodes, nTemps, code, outRegs: Int32Array.from(outputs, (o) => reg.get(o)!) };
}

// ---- the fused kernel ------------------------------------------------------------------------

/** Name of the fused kernel; registered by `installElementwiseKernel` where the addon is loaded. */
export const KERNEL = 'DescentElementwise';

/** Whether elementwise programs run fused on the current backend now (see setNativeFusion). */
export function elementwiseFused(): boolean {
  return nativeFusionEnabled() && tf.getKernel(KERNEL, tf.getBackend()) !== undefined;
}

/** The addon function (from @descent/native-blas) the kernel calls. */
export interface NativeElementwise {
  elementwise(heap: ArrayBufferView, code: Int32Array, nIn: number, nS: number, nT: number, outRegs: Int32Array, groups: Float64Array): void;
}

/** Registers the fused kernel on the wasm backend, computed by the addon on the wasm heap. */
export function installElementwiseKernel(addon: NativeElementwise, backendName = 'wasm'): boolean {
  if (typeof addon.elementwise !== 'function' || backendName !== 'wasm') return false;
  if (tf.getKernel(KERNEL, backendName)) tf.unregisterKernel(KERNEL, backendName);
  tf.registerKernel({
    kernelName: KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = wasmOf(backend as tf.KernelBackend)!;
      const a = attrs as unknown as { shapes: number[][]; nIn: number; nTemps: number; code: Int32Array; outRegs: Int32Array; scalars: Float64Array; aliases: Int32Array | null };
      const ins = inputs as Record<string, tf.TensorInfo>;
      const kb = backend as tf.KernelBackend;
      const nOut = a.outRegs.length, nS = a.scalars.length / a.shapes.length;
      // In place: an output takes over its input's memory where that memory is the input's alone
      // (one tensor refers to it, no other input of the call reads it) and fully overwritten.
      const readers = new Map<object, number>();
      if (a.aliases) for (const t of Object.values(ins)) readers.set(t.dataId, (readers.get(t.dataId) ?? 0) + 1);
      const outs = a.shapes.flatMap((shape, g) =>
        Array.from({ length: nOut }, (_, k) => {
          const i = a.aliases ? a.aliases[k] : -1;
          const t = i >= 0 ? ins[`g${g}x${i}`] : undefined;
          if (t && size(shape) > 0 && size(t.shape) === size(shape) && readers.get(t.dataId) === 1 && kb.refCount(t.dataId) === 1) {
            readers.set(t.dataId, 2); // taken: by no other output
            kb.incRef(t.dataId);
            return { dataId: t.dataId, shape, dtype: 'float32' } as tf.TensorInfo;
          }
          return wasm.makeOutput(shape, 'float32');
        }),
      );
      // Offsets after every allocation: growing the wasm memory detaches earlier views.
      const offset = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
      const rec = 1 + nS + 2 * a.nIn + nOut;
      const groups = new Float64Array(a.shapes.length * rec);
      a.shapes.forEach((shape, g) => {
        const n = size(shape);
        let at = g * rec;
        groups[at++] = n;
        groups.set(a.scalars.subarray(g * nS, (g + 1) * nS), at);
        at += nS;
        for (let i = 0; i < a.nIn; i++) {
          const t = ins[`g${g}x${i}`];
          groups[at + i] = n === 0 ? 0 : offset(t);
          groups[at + a.nIn + i] = size(t.shape) === 1 && n !== 1 ? 1 : 0;
        }
        at += 2 * a.nIn;
        for (let k = 0; k < nOut; k++) groups[at + k] = n === 0 ? 0 : offset(outs[g * nOut + k]);
      });
      try {
        addon.elementwise(wasm.wasm.HEAPU8, a.code, a.nIn, nS, a.nTemps, a.outRegs, groups);
      } catch (e) {
        for (const o of outs) kb.disposeData(o.dataId);
        throw e;
      }
      return outs;
    },
  });
  return true;
}

/** Removes the fused kernel (programs then run as TensorFlow.js ops). */
export function uninstallElementwiseKernel(backendName = 'wasm'): boolean {
  if (!tf.getKernel(KERNEL, backendName)) return false;
  tf.unregisterKernel(KERNEL, backendName);
  return true;
}
