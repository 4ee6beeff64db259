import { tf, InvalidParameterError } from '@descent/tensor';
import type { LandscapeProblem } from './evaluate';

/** A tensor as a structured-clonable record (it crosses thread or process boundaries). */
export interface ArrayRecord {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** A model and its data batch, packed for a job's `shared` payload (see executor.ts). */
export interface ModelPayload {
  /** `model.toJSON(null, false)`: the topology (custom layers must be registered where it is rebuilt). */
  topology: unknown;
  /** Every weight of the model (trainable or not, e.g. BatchNorm statistics), in `model.weights` order. */
  weights: ArrayRecord[];
  inputs: ArrayRecord;
  labels: ArrayRecord;
  /** Only with the in-process executor (functions do not cross threads). */
  loss?: LandscapeProblem['loss'];
}

interface SerializableModel {
  toJSON(unused?: unknown, returnString?: boolean): unknown;
  weights: Array<{ read(): tf.Tensor }>;
  trainableWeights: Array<{ read(): tf.Tensor }>;
}

export function arrayRecord(t: tf.Tensor): ArrayRecord {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new InvalidParameterError('tensor dtype', t.dtype, "'float32' or 'int32'");
  // A copy: some backends hand out their own storage, which a transfer would detach.
  const data = t.dtype === 'int32' ? Int32Array.from(t.dataSync() as Int32Array) : Float32Array.from(t.dataSync() as Float32Array);
  return { shape: t.shape.slice(), dtype: t.dtype, data };
}

export function tensorOf(r: ArrayRecord): tf.Tensor {
  return tf.tensor(r.data, r.shape, r.dtype);
}

/** The names of the model's trainable weights, in order (how flattened payloads are keyed). */
export function trainableNames(problem: LandscapeProblem): string[] {
  return serializable(problem).trainableWeights.map((w) => (w.read() as tf.Variable).name);
}

/** Packs the problem's model (topology and every weight) and its data batch. */
export function packModel(problem: LandscapeProblem): ModelPayload {
  const model = serializable(problem);
  return {
    topology: model.toJSON(null, false),
    weights: model.weights.map((w) => arrayRecord(w.read())),
    inputs: arrayRecord(problem.inputs),
    labels: arrayRecord(problem.labels),
    ...(problem.loss ? { loss: problem.loss } : {}),
  };
}

/** Rebuilds the model and its batch from a payload, in this thread; `dispose` frees them. */
export async function unpackModel(payload: ModelPayload): Promise<{ problem: LandscapeProblem & { model: tf.LayersModel }; variables: tf.Variable[]; dispose(): void }> {
  const model = await tf.models.modelFromJSON({ modelTopology: payload.topology as tf.io.ModelJSON['modelTopology'] });
  const weights = payload.weights.map(tensorOf);
  model.setWeights(weights);
  tf.dispose(weights);
  const problem = { model, inputs: tensorOf(payload.inputs), labels: tensorOf(payload.labels), ...(payload.loss ? { loss: payload.loss } : {}) };
  return {
    problem,
    variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
    dispose: () => {
      tf.dispose([problem.inputs, problem.labels]);
      model.dispose();
    },
  };
}

function serializable(problem: LandscapeProblem): SerializableModel {
  const model = problem.model as unknown as SerializableModel;
  if (typeof model.toJSON !== 'function' || !Array.isArray(model.weights)) {
    throw new InvalidParameterError('problem.model', typeof model, 'a tf.LayersModel (serialisable with toJSON) to evaluate in workers');
  }
  return model;
}
