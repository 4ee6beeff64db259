/*
 * Hessian-vector products of a chain of dense layers and element-wise activations under mean
 * softmax cross-entropy, by Pearlmutter's R-operator, in one call: the forward R-pass, R of the
 * loss gradient at the logits, and the backward R-pass with the products for every layer.
 * @descent/hessian (r-op.ts) computes once what does not depend on v (layer inputs, f' and
 * f''·δ of the activations, the gradient's δ at each layer's output, the softmax) and passes it
 * here with v; this replaces the ~100 TensorFlow.js kernels of one product.
 *
 * Per op record (OP_FIELDS doubles): kind (0 dense, 1 activation), din, dout (an activation:
 * its width twice), then byte offsets on the heap, -1 where absent:
 *   dense: a (its input, batch × din), W (din × dout), vW, vb (the direction's parts), delta (the
 *          gradient at its output, needed after the first op), outW, outB (where H·v goes)
 *   act:   d1 (f' at the pre-activation), d2delta (f''·δ, or -1 when f'' ≡ 0)
 * The first op is the first dense layer that has a parameter in v; nothing before it has an R.
 */
#include "util.h"
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

enum { OP_DENSE = 0, OP_ACT = 1 };
enum { F_KIND, F_DIN, F_DOUT, F_A, F_W, F_VW, F_VB, F_DELTA, F_OUTW, F_OUTB, F_D1, F_D2D, OP_FIELDS };
#define MAX_OPS 256

DISPATCH static void mul_into(float *restrict out, const float *restrict x, const float *restrict y, int64_t n) {
  for (int64_t j = 0; j < n; j++) out[j] = x[j] * y[j];
}

DISPATCH static void add_product(float *restrict out, const float *restrict x, const float *restrict y, int64_t n) {
  for (int64_t j = 0; j < n; j++) out[j] += x[j] * y[j];
}

DISPATCH static void add_rows(float *restrict out, const float *restrict row, int64_t rows, int64_t n) {
  for (int64_t r = 0; r < rows; r++)
    for (int64_t j = 0; j < n; j++) out[r * n + j] += row[j];
}

DISPATCH static void column_sums(float *restrict out, const float *restrict x, int64_t rows, int64_t cols) {
  for (int64_t j = 0; j < cols; j++) out[j] = 0.f;
  for (int64_t r = 0; r < rows; r++)
    for (int64_t j = 0; j < cols; j++) out[j] += x[r * cols + j];
}

/* A heap pointer for a recorded offset (NULL for -1), checked to hold count floats. */
static int field(napi_env env, uint8_t *heap, size_t len, double off, int64_t count, const char *name, float **out) {
  if (off < 0) { *out = NULL; return 1; }
  if (off != (double)(int64_t)off || !in_heap(env, (int64_t)off, count, len, name)) return 0;
  *out = (float *)(heap + (int64_t)off);
  return 1;
}

/* denseChainHvp(heap, batch, ops, pScaledOff, probsOff): see the comment at the top. */
static napi_value dense_chain_hvp(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 5, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t N, pOff, qOff;
  if (!get_i64(env, argv[1], &N, "batch") || !get_i64(env, argv[3], &pOff, "pScaledOff") || !get_i64(env, argv[4], &qOff, "probsOff")) return NULL;
  size_t count;
  double *rec;
  if (!get_typed(env, argv[2], napi_float64_array, (void **)&rec, &count, "ops")) return NULL;
  const int64_t nOps = (int64_t)count / OP_FIELDS;
  if (N < 1 || nOps < 1 || nOps > MAX_OPS || count % OP_FIELDS != 0 || rec[F_KIND] != OP_DENSE) {
    fail(env, "ERR_ARGS", "denseChainHvp: batch < 1, or ops empty, malformed or not starting with a dense layer");
    return NULL;
  }
  /* Pointers of every op, all ranges checked before anything is written. */
  float *P[MAX_OPS][OP_FIELDS];
  int64_t din[MAX_OPS], dout[MAX_OPS], width = 0, rTotal = 0;
  for (int64_t i = 0; i < nOps; i++) {
    const double *r = rec + i * OP_FIELDS;
    const int kind = (int)r[F_KIND];
    din[i] = (int64_t)r[F_DIN];
    dout[i] = (int64_t)r[F_DOUT];
    if ((kind != OP_DENSE && kind != OP_ACT) || din[i] < 1 || dout[i] < 1 || (kind == OP_ACT && din[i] != dout[i]) ||
        (i > 0 && din[i] != dout[i - 1])) {
      fail(env, "ERR_ARGS", "denseChainHvp: an op has an unknown kind or widths that do not chain");
      return NULL;
    }
    const int64_t wIn = N * din[i], wOut = N * dout[i], fan = din[i] * dout[i];
    for (int f = F_A; f < OP_FIELDS; f++) P[i][f] = NULL;
    if (kind == OP_DENSE) {
      if (!field(env, heap, len, r[F_A], wIn, "a", &P[i][F_A]) || !field(env, heap, len, r[F_W], fan, "W", &P[i][F_W]) ||
          !field(env, heap, len, r[F_VW], fan, "vW", &P[i][F_VW]) || !field(env, heap, len, r[F_VB], dout[i], "vb", &P[i][F_VB]) ||
          !field(env, heap, len, r[F_DELTA], wOut, "delta", &P[i][F_DELTA]) || !field(env, heap, len, r[F_OUTW], fan, "outW", &P[i][F_OUTW]) ||
          !field(env, heap, len, r[F_OUTB], dout[i], "outB", &P[i][F_OUTB]))
        return NULL;
      if (!P[i][F_W] || (P[i][F_VW] && !P[i][F_A]) || (P[i][F_OUTW] && !P[i][F_A]) || (i > 0 && !P[i][F_DELTA])) {
        fail(env, "ERR_ARGS", "denseChainHvp: a dense op lacks W, its input a, or (after the first) its delta");
        return NULL;
      }
    } else {
      if (!field(env, heap, len, r[F_D1], wIn, "d1", &P[i][F_D1]) || !field(env, heap, len, r[F_D2D], wIn, "d2delta", &P[i][F_D2D])) return NULL;
      if (!P[i][F_D1]) { fail(env, "ERR_ARGS", "denseChainHvp: an activation op lacks d1"); return NULL; }
    }
    if (dout[i] > width) width = dout[i];
    if (din[i] > width) width = din[i];
    rTotal += wOut;
  }
  const int64_t C = dout[nOps - 1];
  if (!in_heap(env, pOff, N * C, len, "pScaled") || !in_heap(env, qOff, N * C, len, "probs")) return NULL;
  const float *pScaled = (const float *)(heap + pOff), *probs = (const float *)(heap + qOff);

  use_threads();
  /* Scratch: R of every op's output (rOut[i], N × dout[i]; the input R of op i is rOut[i − 1]) and two backward buffers. */
  float *scratch = thread_scratch((size_t)(rTotal + 2 * N * width));
  if (!scratch) { fail(env, "ERR_MEMORY", "denseChainHvp: out of memory"); return NULL; }
  float *rOut[MAX_OPS];
  int hasR[MAX_OPS]; /* 0: R ≡ 0 (not yet reached by v) */
  float *cursor = scratch;
  for (int64_t i = 0; i < nOps; i++) { rOut[i] = cursor; cursor += N * dout[i]; }
  float *bufA = cursor, *bufB = cursor + N * width;

  /* Forward R-pass: R(z) = R(a)·W + a·V_W + V_b; R(f(z)) = f'(z) ⊙ R(z). */
  for (int64_t i = 0; i < nOps; i++) {
    const int prev = i > 0 && hasR[i - 1];
    const float *rIn = i > 0 ? rOut[i - 1] : NULL;
    float *out = rOut[i];
    if ((int)rec[i * OP_FIELDS + F_KIND] == OP_ACT) {
      hasR[i] = prev;
      if (prev) mul_into(out, rIn, P[i][F_D1], N * dout[i]);
      continue;
    }
    float beta = 0.f;
    if (prev) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)dout[i], (int)din[i], 1.f, rIn, (int)din[i], P[i][F_W], (int)dout[i], 0.f, out, (int)dout[i]);
      beta = 1.f;
    }
    if (P[i][F_VW]) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)dout[i], (int)din[i], 1.f, P[i][F_A], (int)din[i], P[i][F_VW], (int)dout[i], beta, out, (int)dout[i]);
      beta = 1.f;
    }
    if (P[i][F_VB]) {
      if (beta == 0.f) memset(out, 0, sizeof(float) * (size_t)(N * dout[i]));
      add_rows(out, P[i][F_VB], N, dout[i]);
      beta = 1.f;
    }
    hasR[i] = beta != 0.f;
  }

  /* R of the loss gradient at the logits: (s/N)·p ⊙ (Rz − ⟨p, Rz⟩), s/N folded into pScaled. */
  float *rd = bufA, *other = bufB;
  if (hasR[nOps - 1]) {
    const float *rz = rOut[nOps - 1];
    for (int64_t r = 0; r < N; r++) {
      double dotp = 0;
      for (int64_t c = 0; c < C; c++) dotp += (double)probs[r * C + c] * rz[r * C + c];
      const float d = (float)dotp;
      for (int64_t c = 0; c < C; c++) rd[r * C + c] = pScaled[r * C + c] * (rz[r * C + c] - d);
    }
  } else {
    memset(rd, 0, sizeof(float) * (size_t)(N * C));
  }

  /* Backward R-pass: R(δ_in) = R(δ)·Wᵀ + δ·V_Wᵀ; through an activation R(δ)⊙f' + f''δ⊙R(z); H·v = R(a)ᵀδ + aᵀR(δ). */
  for (int64_t i = nOps - 1; i >= 0; i--) {
    const int prev = i > 0 && hasR[i - 1];
    const float *rIn = i > 0 ? rOut[i - 1] : NULL;
    const int64_t w = N * dout[i];
    if ((int)rec[i * OP_FIELDS + F_KIND] == OP_ACT) {
      for (int64_t j = 0; j < w; j++) rd[j] *= P[i][F_D1][j];
      if (P[i][F_D2D] && prev) add_product(rd, P[i][F_D2D], rIn, w);
      continue;
    }
    if (P[i][F_OUTW]) {
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)din[i], (int)dout[i], (int)N, 1.f, P[i][F_A], (int)din[i], rd, (int)dout[i], 0.f, P[i][F_OUTW], (int)dout[i]);
      if (prev)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)din[i], (int)dout[i], (int)N, 1.f, rIn, (int)din[i], P[i][F_DELTA], (int)dout[i], 1.f, P[i][F_OUTW], (int)dout[i]);
    }
    if (P[i][F_OUTB]) column_sums(P[i][F_OUTB], rd, N, dout[i]);
    if (i > 0) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N, (int)din[i], (int)dout[i], 1.f, rd, (int)dout[i], P[i][F_W], (int)dout[i], 0.f, other, (int)din[i]);
      if (P[i][F_VW])
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N, (int)din[i], (int)dout[i], 1.f, P[i][F_DELTA], (int)dout[i], P[i][F_VW], (int)dout[i], 1.f, other, (int)din[i]);
      float *tmp = rd; rd = other; other = tmp;
    }
  }
  return NULL;
}

void register_chain_hvp(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"denseChainHvp", NULL, dense_chain_hvp, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
