/* Shared argument and heap checks of the descent_blas addon's functions (see util.c). */
#ifndef DESCENT_NATIVE_UTIL_H
#define DESCENT_NATIVE_UTIL_H
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stddef.h>

#define MAX_ARGS 20

/* Portable baseline plus an AVX2 clone where GCC can dispatch at load time (glibc ifunc): the
 * element-wise loops vectorise 8 wide on AVX2 machines while the build stays -march-free. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define DISPATCH __attribute__((target_clones("avx2", "default")))
#else
#define DISPATCH
#endif

/* Throws a RangeError with `code` and `msg`; returns 0. */
int fail(napi_env env, const char *code, const char *msg);
/* The memory behind an ArrayBuffer or a TypedArray/DataView: its data pointer and byte length. */
int heap_of(napi_env env, napi_value v, uint8_t **data, size_t *len);
/* Reads at least `want` arguments into argv (MAX_ARGS slots); throws a TypeError when fewer. */
int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);
int get_i64(napi_env env, napi_value v, int64_t *out, const char *name);
int get_f32(napi_env env, napi_value v, float *out, const char *name);
int get_bool(napi_env env, napi_value v, int *out);
/* A typed array of the given type: its data and element count; else throws a TypeError naming `name`. */
int get_typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *count, const char *name);
/* A float buffer of at least `count` floats kept between calls, one per thread (a fresh
 * multi-megabyte malloc per call costs page faults); NULL when out of memory. One user at a
 * time: the functions that take it do not call each other. */
float *thread_scratch(size_t count);
/* [off, off + count floats) lies inside the heap (len bytes) and is float-aligned; else throws. */
int in_heap(napi_env env, int64_t off, int64_t count, size_t len, const char *name);

/* Activation codes shared by sgemm, conv2d and denseStackGradients. */
enum { ACT_LINEAR = 0, ACT_RELU = 1, ACT_RELU6 = 2, ACT_SIGMOID = 3, ACT_ELU = 4, ACT_LEAKYRELU = 5, ACT_TANH = 6 };
#define ACT_LAST ACT_TANH
/* y[r, :] += bias (biasLen 1: one value for all; 0 or bias NULL: none), then the activation, for a
 * rows × n row-major y. Vectorised (DISPATCH); relu maps NaN to 0, as its comparison does. */
void bias_activation(float *y, int64_t rows, int64_t n, const float *bias, int64_t biasLen, int act, float alpha);

/*
 * OpenBLAS threads per JavaScript thread: setThreads() records the count for the calling thread
 * (the main thread and each worker load the addon separately but share one OpenBLAS), and every
 * function that calls BLAS first applies it with use_threads(), so a worker asking for one
 * thread does not leave the main thread's large products on one core.
 */
void set_thread_count(int n);
void use_threads(void);
/* The calling JavaScript thread's thread count (OpenBLAS's, where it set none). */
int thread_count_here(void);

/* The helper-thread pool (pool.c): fn(ctx, part, parts) for part = 0..parts-1, part 0 on the
 * caller; returns when all are done. parallel_parts: how many parts `work` units deserve, at
 * least min_per_part each, at most the thread count. part_range: part's share of n items. */
typedef void (*part_fn)(void *ctx, int part, int parts);
int parallel_parts(int64_t work, int64_t min_per_part);
void run_parallel(part_fn fn, void *ctx, int parts);
void part_range(int64_t n, int part, int parts, int64_t *begin, int64_t *end);

/* Registration of the functions defined in the other translation units. */
void register_elementwise(napi_env env, napi_value exports);
void register_conv(napi_env env, napi_value exports);
void register_dense_stack(napi_env env, napi_value exports);
void register_chain_hvp(napi_env env, napi_value exports);
void register_batch_norm(napi_env env, napi_value exports);
void register_rows(napi_env env, napi_value exports);

#endif
