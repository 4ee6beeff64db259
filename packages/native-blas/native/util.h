/* Shared argument and heap checks of the descent_blas addon's functions (see util.c). */
#ifndef DESCENT_NATIVE_UTIL_H
#define DESCENT_NATIVE_UTIL_H
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stddef.h>

#define MAX_ARGS 20

/* Throws a RangeError with `code` and `msg`; returns 0. */
int fail(napi_env env, const char *code, const char *msg);
/* The memory behind an ArrayBuffer or a TypedArray/DataView: its data pointer and byte length. */
int heap_of(napi_env env, napi_value v, uint8_t **data, size_t *len);
/* Reads at least `want` arguments into argv (MAX_ARGS slots); throws a TypeError when fewer. */
int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);
int get_i64(napi_env env, napi_value v, int64_t *out, const char *name);
int get_f32(napi_env env, napi_value v, float *out, const char *name);
int get_bool(napi_env env, napi_value v, int *out);
/* [off, off + count floats) lies inside the heap (len bytes) and is float-aligned; else throws. */
int in_heap(napi_env env, int64_t off, int64_t count, size_t len, const char *name);

/* Registration of the functions defined in the other translation units. */
void register_elementwise(napi_env env, napi_value exports);
void register_conv(napi_env env, napi_value exports);
void register_dense_stack(napi_env env, napi_value exports);

#endif
