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
#include <stdatomic.h>
#include <string.h>

#define CHUNK 256

#define MAX_REGS 4096

enum { OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3, OP_MAX = 4, OP_MIN = 5, OP_NEG = 6, OP_ABS = 7, OP_SQRT = 8, OP_SIGN = 9, OP_SQUARE = 10, OP_COUNT = 11 };


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

/* Chunks per part below which a program runs on one thread (the hand-off costs a few microseconds). */
#define PARALLEL_CHUNKS 64

typedef struct {
  uint8_t *heap;
  const int32_t *code;
  int64_t ninstr, nIn, nS, nT, nOut;
  const int32_t *outRegs;
  const double *groups;
  int64_t rec, G;
  const int64_t *firstChunk; /* G + 1 entries: group g holds chunks [firstChunk[g], firstChunk[g + 1]) */
  atomic_int failed;
} program_job;

/* One part of a job: its range of chunks, with its own registers for scalars, broadcasts and temporaries. */
static void run_part(void *ctx, int part, int parts) {
  program_job *j = (program_job *)ctx;
  int64_t begin, end;
  part_range(j->firstChunk[j->G], part, parts, &begin, &end);
  if (begin >= end) return;
  const int64_t nIn = j->nIn, nS = j->nS, nT = j->nT, nRegs = nIn + nS + nT;
  float *scratch = (float *)malloc(sizeof(float) * CHUNK * (size_t)(nS + nT + nIn + 1));
  float **reg = (float **)malloc(sizeof(float *) * (size_t)(nRegs > 0 ? nRegs : 1));
  if (!scratch || !reg) {
    free(scratch); free(reg);
    atomic_store(&j->failed, 1);
    return;
  }
  float *consts = scratch, *temps = scratch + CHUNK * nS, *bcast = temps + CHUNK * nT;
  for (int64_t t = 0; t < nT; t++) reg[nIn + nS + t] = temps + CHUNK * t;
  int64_t g = 0;
  while (j->firstChunk[g + 1] <= begin) g++;
  for (; g < j->G && j->firstChunk[g] < end; g++) {
    const double *r = j->groups + g * j->rec;
    const int64_t n = (int64_t)r[0];
    if (n == 0) continue;
    const double *scalars = r + 1, *inOff = scalars + nS, *inB = inOff + nIn, *outOff = inB + nIn;
    for (int64_t s = 0; s < nS; s++) {
      const float v = (float)scalars[s];
      for (int k = 0; k < CHUNK; k++) consts[CHUNK * s + k] = v;
      reg[nIn + s] = consts + CHUNK * s;
    }
    for (int64_t i = 0; i < nIn; i++)
      if (inB[i] != 0) {
        const float v = *(const float *)(j->heap + (int64_t)inOff[i]);
        for (int k = 0; k < CHUNK; k++) bcast[CHUNK * i + k] = v;
        reg[i] = bcast + CHUNK * i;
      }
    const int64_t c0 = (begin > j->firstChunk[g] ? begin : j->firstChunk[g]) - j->firstChunk[g];
    const int64_t c1 = (end < j->firstChunk[g + 1] ? end : j->firstChunk[g + 1]) - j->firstChunk[g];
    for (int64_t c = c0; c < c1; c++) {
      const int64_t start = c * CHUNK, m = n - start < CHUNK ? n - start : CHUNK;
      for (int64_t i = 0; i < nIn; i++)
        if (inB[i] == 0) reg[i] = (float *)(j->heap + (int64_t)inOff[i]) + start;
      run_chunk(j->code, j->ninstr, reg, m);
      for (int64_t k = 0; k < j->nOut; k++) memcpy((float *)(j->heap + (int64_t)outOff[k]) + start, reg[j->outRegs[k]], sizeof(float) * (size_t)m);
    }
  }
  free(scratch);
  free(reg);
}

/*
 * elementwise(heap, code, nIn, nS, nT, outRegs, groups)
 *
 * Runs one program over several groups of tensors in one call (one group per parameter of an
 * optimizer step: torch's "foreach" in one native call instead of one kernel per parameter).
 * code: Int32Array of [op, dst, a, b] instructions (b ignored by unary ops; dst a temporary);
 * outRegs: Int32Array(nOut), the register each output is copied from. groups: Float64Array of
 * G records of 1 + nS + 2·nIn + nOut numbers: n (elements), the nS scalars, the nIn input byte
 * offsets, nIn broadcast flags (1: a single value used for every element), the nOut output byte
 * offsets of n floats. An output either overlaps no input or is exactly the memory of one input
 * (an in-place update): each chunk's inputs are read before its outputs are written.
 */
static napi_value elementwise(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 7, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t nIn, nS, nT;
  if (!get_i64(env, argv[2], &nIn, "nIn") || !get_i64(env, argv[3], &nS, "nS") || !get_i64(env, argv[4], &nT, "nT")) return NULL;
  int32_t *code, *outRegs;
  double *groups;
  size_t codeLen, outLen, gLen;
  if (!get_typed(env, argv[1], napi_int32_array, (void **)&code, &codeLen, "code") ||
      !get_typed(env, argv[5], napi_int32_array, (void **)&outRegs, &outLen, "outRegs") ||
      !get_typed(env, argv[6], napi_float64_array, (void **)&groups, &gLen, "groups"))
    return NULL;
  const int64_t nRegs = nIn + nS + nT, nOut = (int64_t)outLen, rec = 1 + nS + 2 * nIn + nOut;
  if (nIn < 0 || nS < 0 || nT < 0 || nRegs > MAX_REGS || codeLen % 4 != 0 || gLen % (size_t)rec != 0) {
    fail(env, "ERR_ARGS", "elementwise: inconsistent program sizes");
    return NULL;
  }
  const int64_t ninstr = (int64_t)codeLen / 4, G = (int64_t)gLen / rec;
  for (int64_t i = 0; i < ninstr; i++) {
    const int32_t op = code[4 * i], d = code[4 * i + 1], a = code[4 * i + 2], b = code[4 * i + 3];
    if (op < 0 || op >= OP_COUNT || d < nIn + nS || d >= nRegs || a < 0 || a >= nRegs || b < 0 || b >= nRegs) {
      fail(env, "ERR_ARGS", "elementwise: bad instruction (unknown op, or a register out of range, or a write to an input or scalar)");
      return NULL;
    }
  }
  for (int64_t k = 0; k < nOut; k++)
    if (outRegs[k] < 0 || outRegs[k] >= nRegs) { fail(env, "ERR_ARGS", "elementwise: output register out of range"); return NULL; }
  /* Every range of every group is checked before anything is written. */
  for (int64_t g = 0; g < G; g++) {
    const double *r = groups + g * rec;
    const double nd = r[0];
    if (nd < 0 || nd != (double)(int64_t)nd) { fail(env, "ERR_ARGS", "elementwise: a group's element count must be a non-negative integer"); return NULL; }
    const int64_t n = (int64_t)nd;
    const double *inOff = r + 1 + nS, *inB = inOff + nIn, *outOff = inB + nIn;
    for (int64_t i = 0; i < nIn; i++)
      if (inOff[i] != (double)(int64_t)inOff[i] || !in_heap(env, (int64_t)inOff[i], inB[i] != 0 ? 1 : n, len, "input")) return NULL;
    for (int64_t k = 0; k < nOut; k++)
      if (outOff[k] != (double)(int64_t)outOff[k] || !in_heap(env, (int64_t)outOff[k], n, len, "output")) return NULL;
  }

  /* The chunks of all groups, numbered in order, split between the pool's threads. */
  int64_t *firstChunk = (int64_t *)malloc(sizeof(int64_t) * (size_t)(G + 1));
  if (!firstChunk) { fail(env, "ERR_MEMORY", "elementwise: out of memory"); return NULL; }
  firstChunk[0] = 0;
  for (int64_t g = 0; g < G; g++) firstChunk[g + 1] = firstChunk[g] + ((int64_t)groups[g * rec] + CHUNK - 1) / CHUNK;
  program_job job = {heap, code, ninstr, nIn, nS, nT, nOut, outRegs, groups, rec, G, firstChunk, 0};
  run_parallel(run_part, &job, parallel_parts(firstChunk[G], PARALLEL_CHUNKS));
  free(firstChunk);
  if (job.failed) fail(env, "ERR_MEMORY", "elementwise: out of memory");
  return NULL;
}

/* Σ a·b in double, four partial sums (vectorised). */
DISPATCH static double dot_double(const float *restrict a, const float *restrict b, int64_t n) {
  double acc[4] = {0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 4 <= n; j += 4)
    for (int k = 0; k < 4; k++) acc[k] += (double)a[j + k] * b[j + k];
  double s = 0;
  for (; j < n; j++) s += (double)a[j] * b[j];
  return s + acc[0] + acc[1] + acc[2] + acc[3];
}

/*
 * dots(heap, pairs, outOff, count): out[g] = Σ over the pairs of result g of ⟨a, b⟩, in double
 * and stored as double (out holds 2·count floats' worth of bytes). pairs: Float64Array of records
 * (g, aOff, bOff, n). Inner products of parameter-space vectors (many tensors each) in one call.
 */
static napi_value dots(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 4, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  double *rec;
  size_t recLen;
  int64_t outOff, count;
  if (!get_typed(env, argv[1], napi_float64_array, (void **)&rec, &recLen, "pairs") || !get_i64(env, argv[2], &outOff, "outOff") ||
      !get_i64(env, argv[3], &count, "count"))
    return NULL;
  if (recLen % 4 != 0 || count < 0 || count > (1 << 20)) { fail(env, "ERR_ARGS", "dots: pairs must be records of 4 numbers, count in 0..2^20"); return NULL; }
  if (!in_heap(env, outOff, 2 * count, len, "out")) return NULL;
  const size_t P = recLen / 4;
  for (size_t p = 0; p < P; p++) {
    const double *r = rec + 4 * p;
    if (r[0] < 0 || r[0] >= (double)count || r[0] != (double)(int64_t)r[0] || r[3] < 0 || r[3] != (double)(int64_t)r[3] ||
        r[1] != (double)(int64_t)r[1] || r[2] != (double)(int64_t)r[2]) {
      fail(env, "ERR_ARGS", "dots: a pair has a bad result index, offset or length");
      return NULL;
    }
    if (!in_heap(env, (int64_t)r[1], (int64_t)r[3], len, "a") || !in_heap(env, (int64_t)r[2], (int64_t)r[3], len, "b")) return NULL;
  }
  double sums[64];
  double *acc = count <= 64 ? sums : (double *)calloc((size_t)count, sizeof(double));
  if (!acc) { fail(env, "ERR_MEMORY", "dots: out of memory"); return NULL; }
  for (int64_t g = 0; g < count; g++) acc[g] = 0;
  for (size_t p = 0; p < P; p++) {
    const double *r = rec + 4 * p;
    acc[(int64_t)r[0]] += dot_double((const float *)(heap + (int64_t)r[1]), (const float *)(heap + (int64_t)r[2]), (int64_t)r[3]);
  }
  memcpy(heap + outOff, acc, sizeof(double) * (size_t)count); /* 4-byte aligned only: memcpy, not a double store */
  if (acc != sums) free(acc);
  return NULL;
}

void register_elementwise(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"elementwise", NULL, elementwise, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dots", NULL, dots, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
