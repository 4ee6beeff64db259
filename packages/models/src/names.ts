import { InvalidParameterError, type tf } from '@descent/tensor';

/**
 * Model names, and through them every layer and variable name.
 *
 * TensorFlow.js keeps one process-wide table of variable names and silently appends `_1`, `_2`, …
 * to a variable whose scoped name was used before, even after the first owner was disposed. So a
 * second `tf.layers.dense({ name: 'dense_1' })` gets `dense_1/kernel_1`, and which suffix a weight
 * gets depends on everything built earlier. Optimizer state (a ParamMap keyed by variable name)
 * and checkpoints key on these names, so every builder here names all its layers
 * `<model>_<layer>` and picks `<model>` so that no suffix is ever needed:
 *
 * - without a `name`, the n-th model of a kind built in the process is `<base>` for n = 1 and
 *   `<base>_<n>` after that ("mlp", "mlp_2", "mlp_3", …; names taken explicitly are skipped);
 * - with a `name`, that name is used exactly, and reusing it in the same process is an error
 *   (InvalidParameterError) rather than a silent rename.
 */
const taken = new Set<string>();
const counters = new Map<string, number>();
const VALID = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Reserves and returns the name of a new model: `explicit`, or the next free `base`, `base_2`, …. */
export function reserveModelName(base: string, explicit?: string): string {
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || !VALID.test(explicit)) {
      throw new InvalidParameterError('name', explicit, 'a letter followed by letters, digits, "_", "." or "-"');
    }
    if (taken.has(explicit)) {
      throw new InvalidParameterError(
        'name',
        explicit,
        'a model name not yet used in this process (TensorFlow.js would rename its variables with a suffix); omit it for an automatic one',
      );
    }
    taken.add(explicit);
    return explicit;
  }
  let n = counters.get(base) ?? 0;
  let name: string;
  do {
    n += 1;
    name = n === 1 ? base : `${base}_${n}`;
  } while (taken.has(name));
  counters.set(base, n);
  taken.add(name);
  return name;
}

/**
 * Checks that TensorFlow.js gave every variable the name it was asked for. A mismatch means some
 * other code created variables under this model's prefix; the model is disposed and an error thrown.
 */
export function checkVariableNames(model: tf.LayersModel): tf.LayersModel {
  const renamed = model.weights.filter((w) => w.name !== w.originalName);
  if (renamed.length > 0) {
    model.dispose();
    throw new InvalidParameterError(
      'name',
      model.name,
      `a model name whose variable names are free in this process ("${renamed[0].originalName}" was taken, so TensorFlow.js renamed it "${renamed[0].name}")`,
    );
  }
  return model;
}
