/*
 * The loss and every gradient of a stack of dense layers under mean softmax cross-entropy, in one
 * call: forward (sgemm + bias + activation per layer), the loss and its gradient with respect to
 * the logits, and backward (two sgemm and a column sum per layer). TensorFlow.js runs about two
 * hundred kernels for the same step of a five-layer MLP, each paying the engine's bookkeeping.
 *
 * Activations are kept in scratch memory outside the wasm heap; the inputs are read from and the
 * gradients written to the heap at the caller's offsets (all checked).
 */
#include "util.h"
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LAYERS 64

/* delta ⊙ f'(z), written with the layer's output h = f(z), as TensorFlow.js' gradients do. */
DISPATCH static void times_derivative(float *restrict delta, const float *restrict h, int64_t count, int act) {
  switch (act) {
    case ACT_RELU: for (int64_t j = 0; j < count; j++) delta[j] = h[j] > 0.f ? delta[j] : 0.f; break;
    case ACT_TANH: for (int64_t j = 0; j < count; j++) delta[j] = delta[j] * (1.f - h[j] * h[j]); break;
    case ACT_SIGMOID: for (int64_t j = 0; j < count; j++) delta[j] = delta[j] * (h[j] * (1.f - h[j])); break;
    default: break;
  }
}

/* out[j] = Σ_r x[r, j]: a bias gradient, rows added in order (as the scalar loop did). */
DISPATCH static void column_sums(float *restrict out, const float *restrict x, int64_t rows, int64_t cols) {
  for (int64_t j = 0; j < cols; j++) out[j] = 0.f;
  for (int64_t r = 0; r < rows; r++) {
    const float *restrict row = x + r * cols;
    for (int64_t j = 0; j < cols; j++) out[j] += row[j];
  }
}

/* Σ x² in double, eight partial sums (vectorised). Also the finiteness check: the squares of
 * finite floats cannot overflow a double, so the sum is finite exactly when every x is. */
DISPATCH static double sum_squares(const float *restrict x, int64_t count) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= count; j += 8)
    for (int k = 0; k < 8; k++) acc[k] += (double)x[j + k] * x[j + k];
  double s = 0;
  for (; j < count; j++) s += (double)x[j] * x[j];
  for (int k = 0; k < 8; k++) s += acc[k];
  return s;
}

/* A byte offset from a Float64Array entry, checked to hold count floats on the heap. */
static int heap_floats(napi_env env, uint8_t *heap, size_t len, double off, int64_t count, const char *name, float **out) {
  if (off != (double)(int64_t)off || !in_heap(env, (int64_t)off, count, len, name)) return 0;
  *out = (float *)(heap + (int64_t)off);
  return 1;
}

/*
 * denseStackGradients(heap, batch, dims, acts, xOff, yOff, yKind, wOffs, bOffs, statsOff, dwOffs, dbOffs)
 *
 * dims: Int32Array(L + 1) layer widths (dims[0] the input width); acts: Int32Array(L) activation
 * codes (util.h: 0 linear, 1 relu, 3 sigmoid, 6 tanh), the last layer's output being the logits; x: batch ×
 * dims[0] floats; y: int32 class indices (yKind 0) or float32 targets batch × dims[L] (yKind 1);
 * wOffs/bOffs/dwOffs/dbOffs: Float64Array(L) byte offsets (bOffs[i] < 0: no bias, dbOffs ignored).
 * stats (2 + 4L floats): mean loss, number of rows whose arg-max is the label, then per layer
 * Σ dW², Σ db², and 1 where dW (resp. db) holds NaN or ±Inf, else 0.
 * Loss: mean over rows of −Σ_c t_c·log softmax(z)_c, t the one-hot label or the given targets
 * (an index outside [0, classes) is an all-zero row, as tf.oneHot makes it); its gradient with
 * respect to z is (softmax(z) − t)/batch, as tf.losses.softmaxCrossEntropy's.
 */
static napi_value dense_stack_gradients(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 12, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t batch, xOff, yOff, yKind, statsOff;
  int32_t *dims, *acts;
  double *wOffs, *bOffs, *dwOffs, *dbOffs;
  size_t nDims, nActs, nW, nB, nDW, nDB;
  if (!get_i64(env, argv[1], &batch, "batch") || !get_typed(env, argv[2], napi_int32_array, (void **)&dims, &nDims, "dims") || !get_typed(env, argv[3], napi_int32_array, (void **)&acts, &nActs, "acts") ||
      !get_i64(env, argv[4], &xOff, "xOff") || !get_i64(env, argv[5], &yOff, "yOff") || !get_i64(env, argv[6], &yKind, "yKind") ||
      !get_typed(env, argv[7], napi_float64_array, (void **)&wOffs, &nW, "wOffs") || !get_typed(env, argv[8], napi_float64_array, (void **)&bOffs, &nB, "bOffs") || !get_i64(env, argv[9], &statsOff, "statsOff") ||
      !get_typed(env, argv[10], napi_float64_array, (void **)&dwOffs, &nDW, "dwOffs") || !get_typed(env, argv[11], napi_float64_array, (void **)&dbOffs, &nDB, "dbOffs"))
    return NULL;
  const int64_t L = (int64_t)nActs;
  if (L < 1 || L > MAX_LAYERS || nDims != (size_t)L + 1 || nW != (size_t)L || nB != (size_t)L || nDW != (size_t)L || nDB != (size_t)L || batch < 1 || (yKind != 0 && yKind != 1)) {
    fail(env, "ERR_ARGS", "denseStackGradients: inconsistent layer lists, batch < 1 or unknown yKind");
    return NULL;
  }
  int64_t widest = 0; /* of the layer outputs: the deltas' width */
  for (int64_t i = 0; i <= L; i++) {
    if (dims[i] < 1) { fail(env, "ERR_ARGS", "denseStackGradients: layer widths must be positive"); return NULL; }
    if (i > 0 && dims[i] > widest) widest = dims[i];
  }
  for (int64_t i = 0; i < L; i++)
    if (acts[i] != ACT_LINEAR && acts[i] != ACT_RELU && acts[i] != ACT_SIGMOID && acts[i] != ACT_TANH) { fail(env, "ERR_ARGS", "denseStackGradients: unknown activation code"); return NULL; }
  const int64_t classes = dims[L];
  float *x, *stats, *W[MAX_LAYERS], *b[MAX_LAYERS], *dW[MAX_LAYERS], *db[MAX_LAYERS];
  if (!in_heap(env, xOff, batch * dims[0], len, "x") || !in_heap(env, yOff, yKind == 0 ? batch : batch * classes, len, "y") ||
      !in_heap(env, statsOff, 2 + 4 * L, len, "stats"))
    return NULL;
  x = (float *)(heap + xOff);
  stats = (float *)(heap + statsOff);
  for (int64_t i = 0; i < L; i++) {
    const int64_t fan = (int64_t)dims[i] * dims[i + 1];
    if (!heap_floats(env, heap, len, wOffs[i], fan, "W", &W[i]) || !heap_floats(env, heap, len, dwOffs[i], fan, "dW", &dW[i])) return NULL;
    b[i] = db[i] = NULL;
    if (bOffs[i] >= 0 && (!heap_floats(env, heap, len, bOffs[i], dims[i + 1], "b", &b[i]) || !heap_floats(env, heap, len, dbOffs[i], dims[i + 1], "db", &db[i]))) return NULL;
  }

  use_threads();
  /* Scratch: every layer's output (h[1..L], h[L] the logits, then their gradient) and a delta buffer. */
  int64_t total = 0;
  for (int64_t i = 1; i <= L; i++) total += batch * dims[i];
  float *scratch = thread_scratch((size_t)(total + 2 * batch * widest));
  if (!scratch) { fail(env, "ERR_MEMORY", "denseStackGradients: out of memory"); return NULL; }
  float *h[MAX_LAYERS + 1];
  h[0] = x;
  float *cursor = scratch;
  for (int64_t i = 1; i <= L; i++) { h[i] = cursor; cursor += batch * dims[i]; }
  float *deltaA = cursor, *deltaB = cursor + batch * widest;

  /* Forward. */
  for (int64_t i = 0; i < L; i++) {
    const int64_t din = dims[i], dout = dims[i + 1];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)batch, (int)dout, (int)din, 1.f, h[i], (int)din, W[i], (int)dout, 0.f, h[i + 1], (int)dout);
    bias_activation(h[i + 1], batch, dout, b[i], dout, acts[i], 0.f);
  }

  /* Loss, accuracy and the gradient of the mean loss with respect to the network's output. */
  const float *logits = h[L];
  float *delta = deltaA;
  double lossSum = 0;
  int64_t correct = 0;
  const int32_t *labels = (const int32_t *)(heap + yOff);
  const float *targets = (const float *)(heap + yOff);
  for (int64_t r = 0; r < batch; r++) {
    const float *z = logits + r * classes;
    float *d = delta + r * classes;
    int64_t arg = 0;
    float top = z[0];
    for (int64_t c = 1; c < classes; c++) if (z[c] > top) { top = z[c]; arg = c; }
    double s = 0;
    for (int64_t c = 0; c < classes; c++) s += exp((double)z[c] - top);
    const double lse = (double)top + log(s);
    double rowLoss = 0;
    int64_t label = -1;
    if (yKind == 0) {
      label = labels[r];
      if (label >= 0 && label < classes) rowLoss = lse - z[label];
    } else {
      const float *t = targets + r * classes;
      for (int64_t c = 0; c < classes; c++) rowLoss += t[c] * (lse - z[c]);
      /* the label of a target row, for accuracy: its arg-max, as tf.argMax(labels) does */
      float best = t[0]; label = 0;
      for (int64_t c = 1; c < classes; c++) if (t[c] > best) { best = t[c]; label = c; }
    }
    lossSum += rowLoss;
    if (arg == label) correct++;
    for (int64_t c = 0; c < classes; c++) {
      const double p = exp((double)z[c] - lse);
      const double t = yKind == 0 ? (c == label ? 1.0 : 0.0) : targets[r * classes + c];
      d[c] = (float)((p - t) / (double)batch); /* TensorFlow.js' gradient: softmax − targets */
    }
  }
  stats[0] = (float)(lossSum / (double)batch);
  stats[1] = (float)correct;

  /* Backward. */
  for (int64_t i = L - 1; i >= 0; i--) {
    const int64_t din = dims[i], dout = dims[i + 1];
    times_derivative(delta, h[i + 1], batch * dout, acts[i]); /* now with respect to the layer's pre-activation */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)din, (int)dout, (int)batch, 1.f, h[i], (int)din, delta, (int)dout, 0.f, dW[i], (int)dout);
    if (db[i]) column_sums(db[i], delta, batch, dout);
    if (i > 0) {
      float *next = delta == deltaA ? deltaB : deltaA;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)batch, (int)din, (int)dout, 1.f, delta, (int)dout, W[i], (int)dout, 0.f, next, (int)din);
      delta = next;
    }
  }

  /* Gradient statistics, so the caller checks and reports the step with one read. */
  for (int64_t i = 0; i < L; i++) {
    const double sw = sum_squares(dW[i], (int64_t)dims[i] * dims[i + 1]);
    const double sb = db[i] ? sum_squares(db[i], dims[i + 1]) : 0;
    stats[2 + 4 * i] = (float)sw;
    stats[3 + 4 * i] = (float)sb;
    stats[4 + 4 * i] = isfinite(sw) ? 0.f : 1.f;
    stats[5 + 4 * i] = isfinite(sb) ? 0.f : 1.f;
  }
  return NULL;
}

void register_dense_stack(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"denseStackGradients", NULL, dense_stack_gradients, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
