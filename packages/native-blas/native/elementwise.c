/*
 * Fused element-wise programs on the wasm heap: one pass over the data for a whole optimizer
 * step (or any other chain of element-wise float32 operations), where TensorFlow.js runs one
 * kernel per operation, each reading and writing every element.
 *
 * A program is a list of instructions over registers, compiled by @descent/tensor
 * (elementwise.ts). Registers: [0, nIn) the inputs (a vector, or one value broadcast), then nS
 * scalars, then nT temporaries. The data is processed in chunks of CHUNK floats, so that every
 * register of a chunk stays in the L1 cache; each instruction is a plain loop over the chunk,
 * which the compiler vectorises. Each operation rounds to float32 as TensorFlow.js' kernel does,
 * so the result equals the unfused operations'.
 */
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 256
#define MAX_REGS 4096

enum { OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3, OP_MAX = 4, OP_MIN = 5, OP_NEG = 6, OP_ABS = 7, OP_SQRT = 8, OP_SIGN = 9, OP_SQUARE = 10, OP_COUNT = 11 };

/* Portable baseline plus an AVX2 clone where GCC can dispatch at load time (glibc ifunc). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define DISPATCH __attribute__((target_clones("avx2", "default")))
#else
#define DISPATCH
#endif

/*
 * max/min as TensorFlow.js' wasm kernels compute them (std::max/std::min): a NaN in the first
 * operand comes through, a NaN in the second does not. Selects, so that they vectorise.
 */
static inline float max_nan(float a, float b) { return a < b ? b : a; }
static inline float min_nan(float a, float b) { return b < a ? b : a; }
static inline float sign_of(float x) { return x > 0.f ? 1.f : (x < 0.f ? -1.f : 0.f); } /* torch.sign: 0 for ±0 and NaN */

DISPATCH static void run_chunk(const int32_t *code, int64_t ninstr, float **reg, int64_t len) {
  for (int64_t i = 0; i < ninstr; i++) {
    const int32_t op = code[4 * i];
    float *restrict d = reg[code[4 * i + 1]];
    const float *a = reg[code[4 * i + 2]];
    const float *b = reg[code[4 * i + 3]];
    /* d may be a or b (registers are reused): every loop reads index j before writing it. */
    switch (op) {
      case OP_ADD: for (int64_t j = 0; j < len; j++) d[j] = a[j] + b[j]; break;
      case OP_SUB: for (int64_t j = 0; j < len; j++) d[j] = a[j] - b[j]; break;
      case OP_MUL: for (int64_t j = 0; j < len; j++) d[j] = a[j] * b[j]; break;
      case OP_DIV: for (int64_t j = 0; j < len; j++) d[j] = a[j] / b[j]; break;
      case OP_MAX: for (int64_t j = 0; j < len; j++) d[j] = max_nan(a[j], b[j]); break;
      case OP_MIN: for (int64_t j = 0; j < len; j++) d[j] = min_nan(a[j], b[j]); break;
      case OP_NEG: for (int64_t j = 0; j < len; j++) d[j] = -a[j]; break;
      case OP_ABS: for (int64_t j = 0; j < len; j++) d[j] = fabsf(a[j]); break;
      case OP_SQRT: for (int64_t j = 0; j < len; j++) d[j] = sqrtf(a[j]); break;
      case OP_SIGN: for (int64_t j = 0; j < len; j++) d[j] = sign_of(a[j]); break;
      case OP_SQUARE: for (int64_t j = 0; j < len; j++) d[j] = a[j] * a[j]; break;
      default: break;
    }
  }
}

static int get_typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *count, const char *name) {
  bool is = false;
  napi_typedarray_type t;
  napi_value ab;
  size_t off;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is || napi_get_typedarray_info(env, v, &t, count, data, &ab, &off) != napi_ok || t != want) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a %s", name, want == napi_int32_array ? "Int32Array" : "Float64Array");
    napi_throw_type_error(env, "ERR_ARGS", msg);
    return 0;
  }
  return 1;
}

/*
 * elementwise(heap, n, code, nIn, nS, nT, scalars, inOffsets, inBroadcast, outRegs, outOffsets)
 *
 * code: Int32Array of [op, dst, a, b] instructions (b ignored by unary ops; dst a temporary);
 * scalars: Float64Array(nS); inOffsets: Float64Array(nIn) byte offsets; inBroadcast: Int32Array(nIn),
 * 1 where the input is a single value used for every element; outRegs: Int32Array(nOut), the
 * register each output is copied from; outOffsets: Float64Array(nOut) byte offsets of n floats.
 * Outputs must not overlap the inputs (the caller allocates them fresh).
 */
static napi_value elementwise(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 11, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t n, nIn, nS, nT;
  if (!get_i64(env, argv[1], &n, "n") || !get_i64(env, argv[3], &nIn, "nIn") || !get_i64(env, argv[4], &nS, "nS") || !get_i64(env, argv[5], &nT, "nT")) return NULL;
  int32_t *code, *inBroadcast, *outRegs;
  double *scalars, *inOffsets, *outOffsets;
  size_t codeLen, sLen, inLen, bLen, outLen, oLen;
  if (!get_typed(env, argv[2], napi_int32_array, (void **)&code, &codeLen, "code") ||
      !get_typed(env, argv[6], napi_float64_array, (void **)&scalars, &sLen, "scalars") ||
      !get_typed(env, argv[7], napi_float64_array, (void **)&inOffsets, &inLen, "inOffsets") ||
      !get_typed(env, argv[8], napi_int32_array, (void **)&inBroadcast, &bLen, "inBroadcast") ||
      !get_typed(env, argv[9], napi_int32_array, (void **)&outRegs, &outLen, "outRegs") ||
      !get_typed(env, argv[10], napi_float64_array, (void **)&outOffsets, &oLen, "outOffsets"))
    return NULL;
  const int64_t nRegs = nIn + nS + nT;
  if (n < 0 || nIn < 0 || nS < 0 || nT < 0 || nRegs > MAX_REGS || codeLen % 4 != 0 || (int64_t)sLen != nS || (int64_t)inLen != nIn ||
      (int64_t)bLen != nIn || outLen != oLen) {
    fail(env, "ERR_ARGS", "elementwise: inconsistent program sizes");
    return NULL;
  }
  const int64_t ninstr = (int64_t)codeLen / 4;
  for (int64_t i = 0; i < ninstr; i++) {
    const int32_t op = code[4 * i], d = code[4 * i + 1], a = code[4 * i + 2], b = code[4 * i + 3];
    if (op < 0 || op >= OP_COUNT || d < nIn + nS || d >= nRegs || a < 0 || a >= nRegs || b < 0 || b >= nRegs) {
      fail(env, "ERR_ARGS", "elementwise: bad instruction (unknown op, or a register out of range, or a write to an input or scalar)");
      return NULL;
    }
  }
  for (size_t k = 0; k < outLen; k++)
    if (outRegs[k] < 0 || outRegs[k] >= nRegs) { fail(env, "ERR_ARGS", "elementwise: output register out of range"); return NULL; }
  for (int64_t i = 0; i < nIn; i++) {
    const double off = inOffsets[i];
    if (off != (double)(int64_t)off || !in_heap(env, (int64_t)off, inBroadcast[i] ? 1 : n, len, "input")) return NULL;
  }
  for (size_t k = 0; k < outLen; k++) {
    const double off = outOffsets[k];
    if (off != (double)(int64_t)off || !in_heap(env, (int64_t)off, n, len, "output")) return NULL;
  }
  if (n == 0) return NULL;

  /* Scalars, broadcast inputs and temporaries live in CHUNK-float buffers. */
  float *scratch = (float *)malloc(sizeof(float) * CHUNK * (size_t)(nS + nT + nIn));
  float **reg = (float **)malloc(sizeof(float *) * (size_t)(nRegs > 0 ? nRegs : 1));
  if (!scratch || !reg) {
    free(scratch); free(reg);
    fail(env, "ERR_MEMORY", "elementwise: out of memory");
    return NULL;
  }
  float *consts = scratch, *temps = scratch + CHUNK * nS, *bcast = temps + CHUNK * nT;
  for (int64_t s = 0; s < nS; s++) {
    const float v = (float)scalars[s];
    for (int j = 0; j < CHUNK; j++) consts[CHUNK * s + j] = v;
    reg[nIn + s] = consts + CHUNK * s;
  }
  for (int64_t t = 0; t < nT; t++) reg[nIn + nS + t] = temps + CHUNK * t;
  for (int64_t i = 0; i < nIn; i++)
    if (inBroadcast[i]) {
      const float v = *(const float *)(heap + (int64_t)inOffsets[i]);
      for (int j = 0; j < CHUNK; j++) bcast[CHUNK * i + j] = v;
      reg[i] = bcast + CHUNK * i;
    }
  for (int64_t start = 0; start < n; start += CHUNK) {
    const int64_t m = n - start < CHUNK ? n - start : CHUNK;
    for (int64_t i = 0; i < nIn; i++)
      if (!inBroadcast[i]) reg[i] = (float *)(heap + (int64_t)inOffsets[i]) + start;
    run_chunk(code, ninstr, reg, m);
    for (size_t k = 0; k < outLen; k++) memcpy((float *)(heap + (int64_t)outOffsets[k]) + start, reg[outRegs[k]], sizeof(float) * (size_t)m);
  }
  free(scratch);
  free(reg);
  return NULL;
}

void register_elementwise(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"elementwise", NULL, elementwise, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
