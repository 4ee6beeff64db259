import { tf, denseStackGradients, DENSE_STACK_ACTIVATIONS, type DenseStackActivation, type GradientCheck, type ParamMap } from '@descent/tensor';

/**
 * The fused training step: when a model is a plain chain of dense layers (optionally flattened
 * input, activations linear/relu/tanh/sigmoid, as a Dense's own activation or a following
 * Activation layer) trained with softmax cross-entropy, its loss and gradients come from one
 * native call (`denseStackGradients` of @descent/tensor) instead of TensorFlow.js' autodiff.
 * Same numbers up to float32 rounding; the general path runs for every other model and wherever
 * the native kernel is absent.
 */

interface LayerVariableLike {
  read(): tf.Variable;
  trainable: boolean;
}

interface PlanLayer {
  kernel: LayerVariableLike;
  bias?: LayerVariableLike;
  activation: DenseStackActivation;
}

/** A model the fused step can train, or why not. */
export type DenseStackPlan = { ok: true; layers: PlanLayer[] } | { ok: false; reason: string };

interface SymbolicLike {
  sourceLayer: tf.layers.Layer;
  nodeIndex: number;
}

/** Reads the chain of layers from the model's output back to its input. */
export function denseStackPlan(model: tf.LayersModel): DenseStackPlan {
  const no = (reason: string): DenseStackPlan => ({ ok: false, reason });
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return no('the model has several inputs or outputs');
  const chain: tf.layers.Layer[] = [];
  let t = model.outputs[0] as unknown as SymbolicLike;
  for (;;) {
    const layer = t.sourceLayer;
    if (layer.getClassName() === 'InputLayer') break;
    const node = (layer as unknown as { inboundNodes: Array<{ inputTensors: SymbolicLike[] }> }).inboundNodes[t.nodeIndex];
    if (!node || node.inputTensors.length !== 1) return no(`layer ${layer.name} does not take exactly one input`);
    chain.unshift(layer);
    t = node.inputTensors[0];
  }
  const inputRank = model.inputs[0].shape.length;
  const layers: PlanLayer[] = [];
  for (const [i, layer] of chain.entries()) {
    const cls = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    if (cls === 'Flatten') {
      if (i !== 0) return no('a Flatten layer after the first layer');
      continue;
    }
    if (cls === 'Activation') {
      const last = layers.at(-1);
      const act = String(config.activation);
      if (!last || last.activation !== 'linear' || !(act in DENSE_STACK_ACTIVATIONS)) return no(`activation layer ${layer.name} (${act}) cannot be folded into a dense layer`);
      last.activation = act as DenseStackActivation;
      continue;
    }
    if (cls !== 'Dense') return no(`layer ${layer.name} is a ${cls}`);
    const act = String(config.activation ?? 'linear');
    if (!(act in DENSE_STACK_ACTIVATIONS)) return no(`dense layer ${layer.name} has activation ${act}`);
    if (config.kernelRegularizer || config.biasRegularizer || config.activityRegularizer) return no(`dense layer ${layer.name} has a regularizer`);
    if (layers.length === 0 && inputRank > 2 && chain[0].getClassName() !== 'Flatten') return no('the first dense layer sees an input of rank > 2');
    const dense = layer as unknown as { kernel: LayerVariableLike; bias: LayerVariableLike | null };
    layers.push({ kernel: dense.kernel, bias: dense.bias ?? undefined, activation: act as DenseStackActivation });
  }
  if (layers.length === 0) return no('no dense layer');
  const covered = new Set(layers.flatMap((l) => [l.kernel, l.bias]).filter((v): v is LayerVariableLike => v !== undefined).map((v) => v.read().name));
  const trainable = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
  if (trainable.length !== covered.size || trainable.some((n) => !covered.has(n))) return no('the model has trainable weights outside its dense layers, or frozen dense weights');
  return { ok: true, layers };
}

export interface FusedStepResult {
  grads: ParamMap;
  loss: number;
  correct: number;
  check: GradientCheck;
}

/** One step's loss, accuracy count and gradients by the native kernel; undefined where it is not available. */
export function fusedDenseStep(plan: Extract<DenseStackPlan, { ok: true }>, x: tf.Tensor, labels: tf.Tensor): FusedStepResult | undefined {
  const labelsFit = (labels.rank === 1 && labels.dtype === 'int32') || (labels.rank === 2 && labels.dtype === 'float32');
  if (!labelsFit || x.dtype !== 'float32' || x.shape[0] === 0) return undefined;
  const vars = plan.layers.map((l) => ({ kernel: l.kernel.read(), bias: l.bias?.read() }));
  const r = denseStackGradients(
    x,
    labels,
    plan.layers.map((l, i) => ({ kernel: vars[i].kernel, bias: vars[i].bias, activation: l.activation })),
  );
  if (!r) return undefined;
  const grads: ParamMap = {};
  const nonFinite: string[] = [];
  let sq = 0;
  vars.forEach((v, i) => {
    grads[v.kernel.name] = r.kernelGrads[i];
    sq += r.sumSquares[i][0];
    if (r.nonFinite[i][0]) nonFinite.push(v.kernel.name);
    if (v.bias) {
      grads[v.bias.name] = r.biasGrads[i]!;
      sq += r.sumSquares[i][1];
      if (r.nonFinite[i][1]) nonFinite.push(v.bias.name);
    }
  });
  return { grads, loss: r.loss, correct: r.correct, check: { norm: Math.sqrt(sq), nonFinite } };
}
