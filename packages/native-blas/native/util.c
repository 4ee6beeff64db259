/* Argument and heap checks shared by the addon's functions. */
#include "util.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);

static _Thread_local int thread_count = 0; /* 0: leave OpenBLAS's own setting */

void set_thread_count(int n) {
  thread_count = n;
  openblas_set_num_threads(n);
}

int thread_count_here(void) {
  return thread_count > 0 ? thread_count : openblas_get_num_threads();
}

void use_threads(void) {
  if (thread_count > 0 && openblas_get_num_threads() != thread_count) openblas_set_num_threads(thread_count);
}

DISPATCH static void activate_row(float *restrict row, int64_t n, int act, float alpha) {
  switch (act) {
    case ACT_RELU: for (int64_t j = 0; j < n; j++) { const float v = row[j]; row[j] = v > 0.f ? v : 0.f; } break;
    case ACT_RELU6: for (int64_t j = 0; j < n; j++) { const float v = row[j] > 0.f ? row[j] : 0.f; row[j] = v < 6.f ? v : 6.f; } break;
    case ACT_SIGMOID: for (int64_t j = 0; j < n; j++) row[j] = 1.f / (1.f + expf(-row[j])); break;
    case ACT_ELU: for (int64_t j = 0; j < n; j++) { const float v = row[j]; row[j] = v > 0.f ? v : expm1f(v); } break;
    case ACT_LEAKYRELU: for (int64_t j = 0; j < n; j++) { const float v = row[j]; row[j] = v > 0.f ? v : alpha * v; } break;
    case ACT_TANH: for (int64_t j = 0; j < n; j++) row[j] = tanhf(row[j]); break;
    default: break;
  }
}

DISPATCH static void add_bias_row(float *restrict row, const float *restrict bias, int64_t n) {
  for (int64_t j = 0; j < n; j++) row[j] += bias[j];
}

void bias_activation(float *y, int64_t rows, int64_t n, const float *bias, int64_t biasLen, int act, float alpha) {
  for (int64_t r = 0; r < rows; r++) {
    float *row = y + r * n;
    if (bias && biasLen == 1) { const float b0 = bias[0]; for (int64_t j = 0; j < n; j++) row[j] += b0; }
    else if (bias && biasLen > 0) add_bias_row(row, bias, n);
    if (act != ACT_LINEAR) activate_row(row, n, act, alpha);
  }
}

int fail(napi_env env, const char *code, const char *msg) {
  napi_throw_range_error(env, code, msg);
  return 0;
}

/* The memory behind an ArrayBuffer, a SharedArrayBuffer-backed or plain TypedArray/DataView. */
int heap_of(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  bool is = false;
  void *p = NULL;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
    napi_typedarray_type t;
    size_t n;
    napi_value ab;
    size_t off;
    if (napi_get_typedarray_info(env, v, &t, &n, &p, &ab, &off) != napi_ok) return fail(env, "ERR_HEAP", "heap: unreadable typed array");
    size_t el = 1;
    switch (t) {
      case napi_int16_array: case napi_uint16_array: el = 2; break;
      case napi_int32_array: case napi_uint32_array: case napi_float32_array: el = 4; break;
      case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: el = 8; break;
      default: el = 1;
    }
    *data = (uint8_t *)p;
    *len = n * el;
    return 1;
  }
  if (napi_is_arraybuffer(env, v, &is) == napi_ok && is) {
    if (napi_get_arraybuffer_info(env, v, &p, len) != napi_ok) return fail(env, "ERR_HEAP", "heap: unreadable ArrayBuffer");
    *data = (uint8_t *)p;
    return 1;
  }
  return fail(env, "ERR_HEAP", "heap must be an ArrayBuffer or a typed array over the wasm memory");
}

int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < want) {
    char msg[96];
    snprintf(msg, sizeof msg, "expected %zu arguments, got %zu", want, argc);
    napi_throw_type_error(env, "ERR_ARGS", msg);
    return 0;
  }
  return 1;
}

int get_i64(napi_env env, napi_value v, int64_t *out, const char *name) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d == d) || d != (double)(int64_t)d) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be an integer", name);
    napi_throw_type_error(env, "ERR_ARGS", msg);
    return 0;
  }
  *out = (int64_t)d;
  return 1;
}

int get_f32(napi_env env, napi_value v, float *out, const char *name) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a number", name);
    napi_throw_type_error(env, "ERR_ARGS", msg);
    return 0;
  }
  *out = (float)d;
  return 1;
}

int get_bool(napi_env env, napi_value v, int *out) {
  bool b = false;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_boolean) napi_get_value_bool(env, v, &b);
  else {
    double d = 0;
    napi_get_value_double(env, v, &d);
    b = d != 0;
  }
  *out = b ? 1 : 0;
  return 1;
}

int get_typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *count, const char *name) {
  bool is = false;
  napi_typedarray_type t;
  napi_value ab;
  size_t off;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is || napi_get_typedarray_info(env, v, &t, count, data, &ab, &off) != napi_ok || t != want) {
    const char *kind = want == napi_int32_array ? "an Int32Array" : want == napi_float64_array ? "a Float64Array" : want == napi_float32_array ? "a Float32Array" : want == napi_uint8_array ? "a Uint8Array" : "a typed array";
    char msg[128];
    snprintf(msg, sizeof msg, "%s must be %s", name, kind);
    napi_throw_type_error(env, "ERR_ARGS", msg);
    return 0;
  }
  return 1;
}

static _Thread_local float *scratch_buf = NULL;
static _Thread_local size_t scratch_cap = 0;

float *thread_scratch(size_t count) {
  if (count == 0) count = 1;
  if (count > scratch_cap) {
    float *grown = (float *)realloc(scratch_buf, sizeof(float) * count);
    if (!grown) return NULL;
    scratch_buf = grown;
    scratch_cap = count;
  }
  return scratch_buf;
}

/* [off, off + count floats) lies inside the heap and is float-aligned. */
int in_heap(napi_env env, int64_t off, int64_t count, size_t len, const char *name) {
  if (off < 0 || count < 0 || (off & 3) != 0 || (uint64_t)off + (uint64_t)count * 4u > (uint64_t)len) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: byte range [%lld, +%lld floats) is outside the heap (%zu bytes) or misaligned",
             name, (long long)off, (long long)count, len);
    return fail(env, "ERR_OUT_OF_HEAP", msg);
  }
  return 1;
}

