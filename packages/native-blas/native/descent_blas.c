/*
 * descent_blas: OpenBLAS sgemm on a TensorFlow.js wasm heap, zero-copy.
 *
 * The wasm backend keeps every tensor in one linear memory (an ArrayBuffer); a tensor is a byte
 * offset into it. These functions take a view of that memory and byte offsets, and compute in
 * place: no copy in, no copy out. Every offset is checked against the view's length.
 *
 * Plain Node-API (C, NAPI_VERSION 8), no dependency beyond libopenblas.
 */
#include "util.h"
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* OpenBLAS extensions (declared here too in case cblas.h comes from another provider). */
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);

/*
 * sgemm(heap, transA, transB, m, n, k, alpha, aOff, bOff, beta, cOff,
 *       batch, strideA, strideB, strideC, biasOff, biasLen, activation, actAlpha)
 *
 * For each b < batch: C_b = alpha·op(A_b)·op(B_b) + beta·C_b, then C_b += bias (broadcast over
 * rows; biasOff < 0: none; biasLen 1 or n) and the activation (0 linear, 1 relu, 2 relu6,
 * 3 sigmoid, 4 elu, 5 leakyrelu with actAlpha). Row-major, packed: op(A) is m×k, op(B) k×n,
 * C m×n. Offsets in bytes; batch strides in floats (0 broadcasts one matrix over the batch).
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 19, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int ta, tb;
  get_bool(env, argv[1], &ta);
  get_bool(env, argv[2], &tb);
  int64_t m, n, k, aOff, bOff, cOff, batch, sA, sB, sC, biasOff, biasLen, act;
  float alpha, beta, actAlpha;
  if (!get_i64(env, argv[3], &m, "m") || !get_i64(env, argv[4], &n, "n") || !get_i64(env, argv[5], &k, "k") ||
      !get_f32(env, argv[6], &alpha, "alpha") || !get_i64(env, argv[7], &aOff, "aOff") || !get_i64(env, argv[8], &bOff, "bOff") ||
      !get_f32(env, argv[9], &beta, "beta") || !get_i64(env, argv[10], &cOff, "cOff") || !get_i64(env, argv[11], &batch, "batch") ||
      !get_i64(env, argv[12], &sA, "strideA") || !get_i64(env, argv[13], &sB, "strideB") || !get_i64(env, argv[14], &sC, "strideC") ||
      !get_i64(env, argv[15], &biasOff, "biasOff") || !get_i64(env, argv[16], &biasLen, "biasLen") ||
      !get_i64(env, argv[17], &act, "activation") || !get_f32(env, argv[18], &actAlpha, "actAlpha"))
    return NULL;
  if (m < 0 || n < 0 || k < 0 || batch < 0 || sA < 0 || sB < 0 || sC < 0 || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
    fail(env, "ERR_ARGS", "m, n, k, batch and strides must be non-negative (and m, n, k < 2^31)");
    return NULL;
  }
  if (act < ACT_LINEAR || act > ACT_LAST) { fail(env, "ERR_ARGS", "activation must be 0..6"); return NULL; }
  if (batch == 0 || m == 0 || n == 0) return NULL;
  /* Every matrix of the batch lies inside the heap. */
  if (!in_heap(env, aOff, (batch - 1) * sA + m * k, len, "A") || !in_heap(env, bOff, (batch - 1) * sB + k * n, len, "B") ||
      !in_heap(env, cOff, (batch - 1) * sC + m * n, len, "C"))
    return NULL;
  const float *bias = NULL;
  if (biasOff >= 0) {
    if (biasLen != 1 && biasLen != n) { fail(env, "ERR_ARGS", "biasLen must be 1 or n"); return NULL; }
    if (!in_heap(env, biasOff, biasLen, len, "bias")) return NULL;
    bias = (const float *)(heap + biasOff);
  }
  use_threads();
  const int lda = ta ? (int)m : (int)k, ldb = tb ? (int)k : (int)n, ldc = (int)n;
  for (int64_t b = 0; b < batch; b++) {
    const float *A = (const float *)(heap + aOff) + b * sA;
    const float *B = (const float *)(heap + bOff) + b * sB;
    float *C = (float *)(heap + cOff) + b * sC;
    if (k == 0) {
      /* OpenBLAS skips the beta scaling for k = 0 in some versions: do it here. */
      for (int64_t i = 0; i < m * n; i++) C[i] = beta == 0.f ? 0.f : beta * C[i];
    } else {
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, alpha, A, lda,
                  B, ldb, beta, C, ldc);
    }
    if (bias || act != ACT_LINEAR) bias_activation(C, m, n, bias, biasLen, (int)act, actAlpha);
  }
  return NULL;
}

/* colSum(heap, xOff, rows, cols, outOff): out[j] = Σ_i x[i, j] (row-major x), the bias gradient. */
static napi_value col_sum(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 5, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t xOff, rows, cols, outOff;
  if (!get_i64(env, argv[1], &xOff, "xOff") || !get_i64(env, argv[2], &rows, "rows") || !get_i64(env, argv[3], &cols, "cols") ||
      !get_i64(env, argv[4], &outOff, "outOff"))
    return NULL;
  if (rows < 0 || cols < 0) { fail(env, "ERR_ARGS", "rows and cols must be non-negative"); return NULL; }
  if (!in_heap(env, xOff, rows * cols, len, "x") || !in_heap(env, outOff, cols, len, "out")) return NULL;
  const float *x = (const float *)(heap + xOff);
  float *out = (float *)(heap + outOff);
  /* out may alias nothing of x (checked by the caller); accumulate row by row (contiguous, vectorises). */
  for (int64_t j = 0; j < cols; j++) out[j] = 0.f;
  for (int64_t i = 0; i < rows; i++) {
    const float *row = x + i * cols;
    for (int64_t j = 0; j < cols; j++) out[j] += row[j];
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  int64_t t;
  if (!get_i64(env, argv[0], &t, "threads")) return NULL;
  if (t < 1 || t > 1024) { fail(env, "ERR_ARGS", "threads must be in 1..1024"); return NULL; }
  set_thread_count((int)t);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  napi_create_int32(env, openblas_get_num_threads(), &r);
  return r;
}

static napi_value get_config(napi_env env, napi_callback_info info) {
  (void)info;
  char buf[512];
  const char *cfg = openblas_get_config(), *core = openblas_get_corename();
  snprintf(buf, sizeof buf, "%s; core %s", cfg ? cfg : "?", core ? core : "?");
  napi_value r;
  napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &r);
  return r;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"colSum", NULL, col_sum, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"threads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"config", NULL, get_config, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  register_elementwise(env, exports);
  register_conv(env, exports);
  register_dense_stack(env, exports);
  register_chain_hvp(env, exports);
  register_batch_norm(env, exports);
  register_rows(env, exports);
  return exports;
}
