/*
 * Convolutions on the wasm heap, registered by register_conv: conv2d (forward, + bias and
 * activation), conv2dBackpropInput and conv2dBackpropFilter by im2col / col2im + cblas_sgemm,
 * NHWC tensors and [kh, kw, inC, outC] filters; and the kernels a CNN's training step needs
 * around them: maxPoolGrad (NHWC), tile, batchNorm and batchNormGrad (channels last).
 *
 * Geometry comes as an object with the fields of TensorFlow.js' Conv2DInfo (batchSize, inHeight,
 * inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight,
 * strideWidth, dilationHeight, dilationWidth, padInfo: {top, left}), so the caller passes
 * backend_util.computeConv2DInfo's result as is. Every tensor's range is checked against the heap;
 * the im2col / col2im loops check each input coordinate, so no geometry reads or writes outside
 * the tensors. The batch is processed in blocks of rows so the im2col buffer (malloc'd, freed before
 * returning) stays under COL_BUDGET floats whatever the batch size.
 */
#include "util.h"
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Floats of the im2col scratch buffer (2 MiB, about L2: measured on the CNN's layers, 2^18-2^20 floats run
 * 10-25% faster than 2^22, the im2col block then stays in cache for sgemm); keeps memory flat. */
#ifndef COL_BUDGET
#define COL_BUDGET ((int64_t)1 << 19)
#endif
/* Sizes above this (in floats) are refused: keeps every product below int64 overflow and sgemm's int. */
#define MAX_FLOATS ((int64_t)1 << 40)

typedef struct {
  int64_t n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl;
} geom_t;

static int named_i64(napi_env env, napi_value obj, const char *key, int64_t *out) {
  napi_value v;
  bool has = false;
  if (napi_has_named_property(env, obj, key, &has) != napi_ok || !has) {
    char msg[96];
    snprintf(msg, sizeof msg, "geometry.%s is missing", key);
    napi_throw_type_error(env, "ERR_ARGS", msg);
    return 0;
  }
  if (napi_get_named_property(env, obj, key, &v) != napi_ok) return 0;
  char name[64];
  snprintf(name, sizeof name, "geometry.%s", key);
  return get_i64(env, v, out, name);
}

/* Reads and validates a Conv2DInfo-shaped object. */
static int read_geom(napi_env env, napi_value obj, geom_t *g) {
  napi_valuetype t;
  if (napi_typeof(env, obj, &t) != napi_ok || t != napi_object) {
    napi_throw_type_error(env, "ERR_ARGS", "geometry must be an object (a Conv2DInfo)");
    return 0;
  }
  napi_value pad;
  bool has = false;
  if (napi_has_named_property(env, obj, "padInfo", &has) != napi_ok || !has || napi_get_named_property(env, obj, "padInfo", &pad) != napi_ok) {
    napi_throw_type_error(env, "ERR_ARGS", "geometry.padInfo is missing");
    return 0;
  }
  if (!named_i64(env, obj, "batchSize", &g->n) || !named_i64(env, obj, "inHeight", &g->h) || !named_i64(env, obj, "inWidth", &g->w) ||
      !named_i64(env, obj, "inChannels", &g->cin) || !named_i64(env, obj, "outHeight", &g->oh) || !named_i64(env, obj, "outWidth", &g->ow) ||
      !named_i64(env, obj, "outChannels", &g->cout) || !named_i64(env, obj, "filterHeight", &g->kh) ||
      !named_i64(env, obj, "filterWidth", &g->kw) || !named_i64(env, obj, "strideHeight", &g->sh) ||
      !named_i64(env, obj, "strideWidth", &g->sw) || !named_i64(env, obj, "dilationHeight", &g->dh) ||
      !named_i64(env, obj, "dilationWidth", &g->dw) || !named_i64(env, pad, "top", &g->pt) || !named_i64(env, pad, "left", &g->pl))
    return 0;
  const int64_t dims[] = {g->n, g->h, g->w, g->cin, g->oh, g->ow, g->cout, g->kh, g->kw};
  for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
    if (dims[i] < 0 || dims[i] > INT32_MAX) return fail(env, "ERR_ARGS", "geometry: sizes must be in 0..2^31-1");
  if (g->sh < 1 || g->sw < 1 || g->dh < 1 || g->dw < 1 || g->sh > INT32_MAX || g->sw > INT32_MAX || g->dh > INT32_MAX || g->dw > INT32_MAX)
    return fail(env, "ERR_ARGS", "geometry: strides and dilations must be positive");
  if (g->pt < -INT32_MAX || g->pt > INT32_MAX || g->pl < -INT32_MAX || g->pl > INT32_MAX) return fail(env, "ERR_ARGS", "geometry: padding out of range");
  /* Every tensor size (and the im2col row length) stays far below int64 overflow and sgemm's int. */
  const double x = (double)g->n * g->h * g->w * g->cin, y = (double)g->n * g->oh * g->ow * g->cout,
               f = (double)g->kh * g->kw * g->cin * g->cout, k = (double)g->kh * g->kw * g->cin,
               rows = (double)g->n * g->oh * g->ow;
  if (x > (double)MAX_FLOATS || y > (double)MAX_FLOATS || f > (double)MAX_FLOATS || k > INT32_MAX || g->cout > INT32_MAX || rows > (double)MAX_FLOATS)
    return fail(env, "ERR_ARGS", "geometry: tensors too large");
  return 1;
}

/* Rows of im2col per block: as many as fit COL_BUDGET floats (at least 1, at most INT32_MAX). */
static int64_t block_rows(int64_t k, int64_t rows) {
  int64_t b = k > 0 ? COL_BUDGET / k : rows;
  if (b < 1) b = 1;
  if (b > rows) b = rows;
  if (b > INT32_MAX) b = INT32_MAX;
  return b;
}

/* Whether im2col is the identity (1×1 filter, stride 1, no padding): the input is the matrix itself. */
static int is_pointwise(const geom_t *g) {
  return g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && g->pt == 0 && g->pl == 0 && g->oh == g->h && g->ow == g->w;
}

/* col[r - r0, :] = the receptive field of output row r (b, oy, ox) as kh·kw·cin values (0 outside). */
static void im2col(const geom_t *g, const float *x, float *col, int64_t r0, int64_t r1) {
  const int64_t k = g->kh * g->kw * g->cin, cin = g->cin, span = g->kw * cin;
  for (int64_t r = r0; r < r1; r++) {
    const int64_t b = r / (g->oh * g->ow), rem = r % (g->oh * g->ow), oy = rem / g->ow, ox = rem % g->ow;
    float *dst = col + (r - r0) * k;
    const float *img = x + b * g->h * g->w * cin;
    const int64_t x0 = ox * g->sw - g->pl;
    const int contiguous = g->dw == 1 && x0 >= 0 && x0 + g->kw <= g->w;
    for (int64_t i = 0; i < g->kh; i++) {
      const int64_t iy = oy * g->sh - g->pt + i * g->dh;
      float *d = dst + i * span;
      if (iy < 0 || iy >= g->h) { memset(d, 0, (size_t)span * sizeof(float)); continue; }
      const float *rowp = img + iy * g->w * cin;
      if (contiguous) { memcpy(d, rowp + x0 * cin, (size_t)span * sizeof(float)); continue; }
      for (int64_t j = 0; j < g->kw; j++) {
        const int64_t ix = x0 + j * g->dw;
        if (ix < 0 || ix >= g->w) memset(d + j * cin, 0, (size_t)cin * sizeof(float));
        else memcpy(d + j * cin, rowp + ix * cin, (size_t)cin * sizeof(float));
      }
    }
  }
}

/* The adjoint of im2col: dx[receptive field of row r] += col[r - r0, :] (dx zeroed by the caller). */
static void col2im(const geom_t *g, const float *col, float *dx, int64_t r0, int64_t r1) {
  const int64_t k = g->kh * g->kw * g->cin, cin = g->cin, span = g->kw * cin;
  for (int64_t r = r0; r < r1; r++) {
    const int64_t b = r / (g->oh * g->ow), rem = r % (g->oh * g->ow), oy = rem / g->ow, ox = rem % g->ow;
    const float *src = col + (r - r0) * k;
    float *img = dx + b * g->h * g->w * cin;
    const int64_t x0 = ox * g->sw - g->pl;
    const int contiguous = g->dw == 1 && x0 >= 0 && x0 + g->kw <= g->w;
    for (int64_t i = 0; i < g->kh; i++) {
      const int64_t iy = oy * g->sh - g->pt + i * g->dh;
      if (iy < 0 || iy >= g->h) continue;
      const float *s = src + i * span;
      float *rowp = img + iy * g->w * cin;
      if (contiguous) {
        float *d = rowp + x0 * cin;
        for (int64_t q = 0; q < span; q++) d[q] += s[q];
        continue;
      }
      for (int64_t j = 0; j < g->kw; j++) {
        const int64_t ix = x0 + j * g->dw;
        if (ix < 0 || ix >= g->w) continue;
        float *d = rowp + ix * cin;
        const float *sj = s + j * cin;
        for (int64_t q = 0; q < cin; q++) d[q] += sj[q];
      }
    }
  }
}

static float *scratch(napi_env env, int64_t floats) {
  float *p = (float *)malloc((size_t)(floats > 0 ? floats : 1) * sizeof(float));
  if (!p) fail(env, "ERR_NOMEM", "conv: cannot allocate the im2col buffer");
  return p;
}

/*
 * conv2d(heap, geometry, xOff, filterOff, yOff, biasOff, activation, actAlpha):
 * y[n, oy, ox, co] = Σ x[n, oy·sh - top + i·dh, ox·sw - left + j·dw, ci] · f[i, j, ci, co]
 * (+ bias[co] when biasOff ≥ 0, then the activation: sgemm's codes 0..5).
 */
static napi_value conv2d(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 8, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  geom_t g;
  if (!read_geom(env, argv[1], &g)) return NULL;
  use_threads();
  int64_t xOff, fOff, yOff, biasOff, act;
  float alpha;
  if (!get_i64(env, argv[2], &xOff, "xOff") || !get_i64(env, argv[3], &fOff, "filterOff") || !get_i64(env, argv[4], &yOff, "yOff") ||
      !get_i64(env, argv[5], &biasOff, "biasOff") || !get_i64(env, argv[6], &act, "activation") || !get_f32(env, argv[7], &alpha, "actAlpha"))
    return NULL;
  if (act < ACT_LINEAR || act > ACT_LAST) { fail(env, "ERR_ARGS", "activation must be 0..6"); return NULL; }
  const int64_t k = g.kh * g.kw * g.cin, rows = g.n * g.oh * g.ow;
  if (!in_heap(env, xOff, g.n * g.h * g.w * g.cin, len, "x") || !in_heap(env, fOff, k * g.cout, len, "filter") ||
      !in_heap(env, yOff, rows * g.cout, len, "y") || (biasOff >= 0 && !in_heap(env, biasOff, g.cout, len, "bias")))
    return NULL;
  if (rows == 0 || g.cout == 0) return NULL;
  const float *x = (const float *)(heap + xOff), *f = (const float *)(heap + fOff), *bias = biasOff >= 0 ? (const float *)(heap + biasOff) : NULL;
  float *y = (float *)(heap + yOff);
  if (k == 0) {
    for (int64_t i = 0; i < rows * g.cout; i++) y[i] = 0.f;
    bias_activation(y, rows, g.cout, bias, g.cout, (int)act, alpha);
    return NULL;
  }
  const int pointwise = is_pointwise(&g);
  const int64_t br = block_rows(k, rows);
  float *col = pointwise ? NULL : scratch(env, br * k);
  if (!pointwise && !col) return NULL;
  for (int64_t r0 = 0; r0 < rows; r0 += br) {
    const int64_t r1 = r0 + br < rows ? r0 + br : rows, m = r1 - r0;
    const float *a = pointwise ? x + r0 * k : col;
    if (!pointwise) im2col(&g, x, col, r0, r1);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)g.cout, (int)k, 1.f, a, (int)k, f, (int)g.cout, 0.f,
                y + r0 * g.cout, (int)g.cout);
    if (bias || act != ACT_LINEAR) bias_activation(y + r0 * g.cout, m, g.cout, bias, g.cout, (int)act, alpha);
  }
  free(col);
  return NULL;
}

/* conv2dBackpropInput(heap, geometry, dyOff, filterOff, dxOff): dx = col2im(dy · filterᵀ), the input gradient. */
static napi_value conv2d_backprop_input(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 5, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  geom_t g;
  if (!read_geom(env, argv[1], &g)) return NULL;
  use_threads();
  int64_t dyOff, fOff, dxOff;
  if (!get_i64(env, argv[2], &dyOff, "dyOff") || !get_i64(env, argv[3], &fOff, "filterOff") || !get_i64(env, argv[4], &dxOff, "dxOff"))
    return NULL;
  const int64_t k = g.kh * g.kw * g.cin, rows = g.n * g.oh * g.ow, nx = g.n * g.h * g.w * g.cin;
  if (!in_heap(env, dyOff, rows * g.cout, len, "dy") || !in_heap(env, fOff, k * g.cout, len, "filter") || !in_heap(env, dxOff, nx, len, "dx"))
    return NULL;
  const float *dy = (const float *)(heap + dyOff), *f = (const float *)(heap + fOff);
  float *dx = (float *)(heap + dxOff);
  if (is_pointwise(&g)) {
    /* dx [rows, cin] = dy [rows, cout] · fᵀ (f is [cin, cout]). */
    if (rows == 0 || g.cin == 0) return NULL;
    if (g.cout == 0) { memset(dx, 0, (size_t)nx * sizeof(float)); return NULL; }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)g.cin, (int)g.cout, 1.f, dy, (int)g.cout, f, (int)g.cout, 0.f, dx,
                (int)g.cin);
    return NULL;
  }
  memset(dx, 0, (size_t)nx * sizeof(float));
  if (rows == 0 || k == 0 || g.cout == 0) return NULL;
  const int64_t br = block_rows(k, rows);
  float *col = scratch(env, br * k);
  if (!col) return NULL;
  for (int64_t r0 = 0; r0 < rows; r0 += br) {
    const int64_t r1 = r0 + br < rows ? r0 + br : rows, m = r1 - r0;
    /* col [m, k] = dy block [m, cout] · fᵀ (f is [k, cout]). */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)k, (int)g.cout, 1.f, dy + r0 * g.cout, (int)g.cout, f, (int)g.cout, 0.f,
                col, (int)k);
    col2im(&g, col, dx, r0, r1);
  }
  free(col);
  return NULL;
}

/* conv2dBackpropFilter(heap, geometry, xOff, dyOff, dwOff): dw [kh·kw·cin, cout] = im2col(x)ᵀ · dy, the filter gradient. */
static napi_value conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 5, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  geom_t g;
  if (!read_geom(env, argv[1], &g)) return NULL;
  use_threads();
  int64_t xOff, dyOff, dwOff;
  if (!get_i64(env, argv[2], &xOff, "xOff") || !get_i64(env, argv[3], &dyOff, "dyOff") || !get_i64(env, argv[4], &dwOff, "dwOff")) return NULL;
  const int64_t k = g.kh * g.kw * g.cin, rows = g.n * g.oh * g.ow;
  if (!in_heap(env, xOff, g.n * g.h * g.w * g.cin, len, "x") || !in_heap(env, dyOff, rows * g.cout, len, "dy") ||
      !in_heap(env, dwOff, k * g.cout, len, "dw"))
    return NULL;
  const float *x = (const float *)(heap + xOff), *dy = (const float *)(heap + dyOff);
  float *dw = (float *)(heap + dwOff);
  if (k == 0 || g.cout == 0) return NULL;
  if (rows == 0) { memset(dw, 0, (size_t)(k * g.cout) * sizeof(float)); return NULL; }
  const int pointwise = is_pointwise(&g);
  const int64_t br = block_rows(k, rows);
  float *col = pointwise ? NULL : scratch(env, br * k);
  if (!pointwise && !col) return NULL;
  for (int64_t r0 = 0; r0 < rows; r0 += br) {
    const int64_t r1 = r0 + br < rows ? r0 + br : rows, m = r1 - r0;
    const float *a = pointwise ? x + r0 * k : col;
    if (!pointwise) im2col(&g, x, col, r0, r1);
    /* dw [k, cout] (+)= col [m, k]ᵀ · dy block [m, cout]. */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)g.cout, (int)m, 1.f, a, (int)k, dy + r0 * g.cout, (int)g.cout,
                r0 == 0 ? 0.f : 1.f, dw, (int)g.cout);
  }
  free(col);
  return NULL;
}

/* best = max(best, v), at = tap where v won (strictly greater: the first maximum stays), branch-free. */
static void running_max(const float *restrict v, float *restrict best, int32_t *restrict at, int32_t tap, int64_t c) {
  for (int64_t ch = 0; ch < c; ch++) {
    const float vv = v[ch], bb = best[ch];
    const int32_t m = -(int32_t)(vv > bb); /* all ones where v wins (never for NaN) */
    best[ch] = vv > bb ? vv : bb;
    at[ch] = (tap & m) | (at[ch] & ~m);
  }
}

/*
 * maxPoolGrad(heap, geometry, xOff, dyOff, dxOff): the gradient of an NHWC max pool
 * (inChannels = outChannels = channels; filterHeight/Width the window): each dy value goes to the
 * first maximum of its window in x (as TensorFlow.js' cpu kernel: NaN never wins; a window of NaN
 * or entirely in the padding passes nothing); overlapping windows add up.
 */
static napi_value max_pool_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 5, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  geom_t g;
  if (!read_geom(env, argv[1], &g)) return NULL;
  use_threads();
  if (g.cin != g.cout) { fail(env, "ERR_ARGS", "maxPoolGrad: inChannels must equal outChannels"); return NULL; }
  int64_t xOff, dyOff, dxOff;
  if (!get_i64(env, argv[2], &xOff, "xOff") || !get_i64(env, argv[3], &dyOff, "dyOff") || !get_i64(env, argv[4], &dxOff, "dxOff")) return NULL;
  const int64_t c = g.cin, nx = g.n * g.h * g.w * c;
  if (!in_heap(env, xOff, nx, len, "x") || !in_heap(env, dyOff, g.n * g.oh * g.ow * c, len, "dy") || !in_heap(env, dxOff, nx, len, "dx"))
    return NULL;
  const float *x = (const float *)(heap + xOff), *dy = (const float *)(heap + dyOff);
  float *dx = (float *)(heap + dxOff);
  memset(dx, 0, (size_t)nx * sizeof(float));
  if (c == 0) return NULL;
  /* Per output pixel, the window's taps in row-major order, channels innermost (contiguous), and
   * branch-free (selects, which vectorise: a branch per value mispredicts on real data, ~3× slower):
   * at[ch] is the tap of the running maximum, pos[tap] its pixel's offset in the image. */
  const int64_t taps = g.kh * g.kw;
  float *best = (float *)malloc((size_t)c * sizeof(float));
  int32_t *at = (int32_t *)malloc((size_t)c * sizeof(int32_t));
  int64_t *pos = (int64_t *)malloc((size_t)(taps > 0 ? taps : 1) * sizeof(int64_t));
  if (!best || !at || !pos || taps > INT32_MAX) {
    free(best); free(at); free(pos);
    fail(env, "ERR_NOMEM", "maxPoolGrad: out of memory");
    return NULL;
  }
  for (int64_t b = 0; b < g.n; b++) {
    const float *img = x + b * g.h * g.w * c;
    float *dimg = dx + b * g.h * g.w * c;
    for (int64_t oy = 0; oy < g.oh; oy++)
      for (int64_t ox = 0; ox < g.ow; ox++) {
        const float *d = dy + ((b * g.oh + oy) * g.ow + ox) * c;
        for (int64_t ch = 0; ch < c; ch++) { best[ch] = -INFINITY; at[ch] = -1; }
        for (int64_t i = 0; i < g.kh; i++) {
          const int64_t iy = oy * g.sh - g.pt + i * g.dh;
          for (int64_t j = 0; j < g.kw; j++) {
            const int64_t ix = ox * g.sw - g.pl + j * g.dw;
            const int32_t tap = (int32_t)(i * g.kw + j);
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) { pos[tap] = -1; continue; }
            pos[tap] = (iy * g.w + ix) * c;
            running_max(img + pos[tap], best, at, tap, c);
          }
        }
        for (int64_t ch = 0; ch < c; ch++)
          if (at[ch] >= 0) dimg[pos[at[ch]] + ch] += d[ch];
      }
  }
  free(pos);
  free(best);
  free(at);
  return NULL;
}

/* Copies block (dimension d on) of the tile: recursion over dimensions, then memcpy of whole repeated blocks. */
static void tile_rec(const float *in, float *out, int d, int rank, const int64_t *shape, const int64_t *reps, const int64_t *inBlock,
                     const int64_t *outBlock) {
  if (d == rank) { *out = *in; return; }
  if (d == rank - 1) {
    for (int64_t i = 0; i < shape[d]; i++) out[i] = in[i];
  } else {
    for (int64_t i = 0; i < shape[d]; i++) tile_rec(in + i * inBlock[d], out + i * outBlock[d], d + 1, rank, shape, reps, inBlock, outBlock);
  }
  const int64_t once = shape[d] * outBlock[d];
  for (int64_t r = 1; r < reps[d]; r++) memcpy(out + r * once, out, (size_t)once * sizeof(float));
}

#define TILE_MAX_RANK 8

static int read_dims(napi_env env, napi_value arr, int64_t *out, uint32_t *count, const char *name) {
  bool is = false;
  if (napi_is_array(env, arr, &is) != napi_ok || !is) {
    char msg[64];
    snprintf(msg, sizeof msg, "%s must be an array", name);
    napi_throw_type_error(env, "ERR_ARGS", msg);
    return 0;
  }
  napi_get_array_length(env, arr, count);
  if (*count > TILE_MAX_RANK) return fail(env, "ERR_ARGS", "tile: rank must be at most 8");
  for (uint32_t i = 0; i < *count; i++) {
    napi_value v;
    napi_get_element(env, arr, i, &v);
    if (!get_i64(env, v, &out[i], name)) return 0;
    if (out[i] < 0 || out[i] > INT32_MAX) return fail(env, "ERR_ARGS", "tile: sizes must be in 0..2^31-1");
  }
  return 1;
}

/* tile(heap, xOff, shape, reps, outOff): out (shape[i]·reps[i] along each axis) = x repeated, row-major. */
static napi_value tile(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 5, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t xOff, outOff, shape[TILE_MAX_RANK], reps[TILE_MAX_RANK], inBlock[TILE_MAX_RANK], outBlock[TILE_MAX_RANK];
  uint32_t rank, rankReps;
  if (!get_i64(env, argv[1], &xOff, "xOff") || !read_dims(env, argv[2], shape, &rank, "shape") || !read_dims(env, argv[3], reps, &rankReps, "reps") ||
      !get_i64(env, argv[4], &outOff, "outOff"))
    return NULL;
  if (rank != rankReps) { fail(env, "ERR_ARGS", "tile: shape and reps must have the same length"); return NULL; }
  double nin = 1, nout = 1;
  for (uint32_t i = 0; i < rank; i++) { nin *= (double)shape[i]; nout *= (double)shape[i] * (double)reps[i]; }
  if (nout > (double)MAX_FLOATS) { fail(env, "ERR_ARGS", "tile: output too large"); return NULL; }
  if (!in_heap(env, xOff, (int64_t)nin, len, "x") || !in_heap(env, outOff, (int64_t)nout, len, "out")) return NULL;
  if (nout == 0) return NULL;
  int64_t ib = 1, ob = 1;
  for (int i = (int)rank - 1; i >= 0; i--) {
    inBlock[i] = ib;
    outBlock[i] = ob;
    ib *= shape[i];
    ob *= shape[i] * reps[i];
  }
  tile_rec((const float *)(heap + xOff), (float *)(heap + outOff), 0, (int)rank, shape, reps, inBlock, outBlock);
  return NULL;
}

/*
 * batchNorm(heap, xOff, rows, channels, meanOff, varianceOff, offsetOff, scaleOff, epsilon, outOff):
 * out[r, c] = offset[c] + (x[r, c] − mean[c]) · scale[c] / √(variance[c] + ε) over a row-major
 * rows × channels x (NHWC: channels last); offsetOff / scaleOff < 0: 0 / 1.
 */
static napi_value batch_norm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 10, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t xOff, rows, c, mOff, vOff, oOff, sOff, outOff;
  float eps;
  if (!get_i64(env, argv[1], &xOff, "xOff") || !get_i64(env, argv[2], &rows, "rows") || !get_i64(env, argv[3], &c, "channels") ||
      !get_i64(env, argv[4], &mOff, "meanOff") || !get_i64(env, argv[5], &vOff, "varianceOff") || !get_i64(env, argv[6], &oOff, "offsetOff") ||
      !get_i64(env, argv[7], &sOff, "scaleOff") || !get_f32(env, argv[8], &eps, "epsilon") || !get_i64(env, argv[9], &outOff, "outOff"))
    return NULL;
  if (rows < 0 || c < 0 || rows > MAX_FLOATS || c > INT32_MAX || (double)rows * (double)c > (double)MAX_FLOATS) {
    fail(env, "ERR_ARGS", "rows and channels must be non-negative (and rows·channels < 2^40)");
    return NULL;
  }
  if (!in_heap(env, xOff, rows * c, len, "x") || !in_heap(env, outOff, rows * c, len, "out") || !in_heap(env, mOff, c, len, "mean") ||
      !in_heap(env, vOff, c, len, "variance") || (oOff >= 0 && !in_heap(env, oOff, c, len, "offset")) ||
      (sOff >= 0 && !in_heap(env, sOff, c, len, "scale")))
    return NULL;
  if (rows == 0 || c == 0) return NULL;
  float *mul = (float *)malloc((size_t)c * 2 * sizeof(float));
  if (!mul) { fail(env, "ERR_NOMEM", "batchNorm: out of memory"); return NULL; }
  float *add = mul + c;
  const float *x = (const float *)(heap + xOff), *mean = (const float *)(heap + mOff), *var = (const float *)(heap + vOff);
  const float *offset = oOff >= 0 ? (const float *)(heap + oOff) : NULL, *scale = sOff >= 0 ? (const float *)(heap + sOff) : NULL;
  float *out = (float *)(heap + outOff);
  for (int64_t j = 0; j < c; j++) {
    mul[j] = (float)((scale ? (double)scale[j] : 1.0) / sqrt((double)var[j] + (double)eps));
    add[j] = mean[j];
  }
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    float *yr = out + r * c;
    if (offset) for (int64_t j = 0; j < c; j++) yr[j] = offset[j] + (xr[j] - add[j]) * mul[j];
    else for (int64_t j = 0; j < c; j++) yr[j] = (xr[j] - add[j]) * mul[j];
  }
  free(mul);
  return NULL;
}

/*
 * batchNormGrad(heap, xOff, dyOff, rows, channels, meanOff, varianceOff, scaleOff, epsilon,
 *               dxOff, dMeanOff, dVarianceOff, dScaleOff, dOffsetOff):
 * the gradients of batchNorm with respect to each of its inputs, as TensorFlow.js' FusedBatchNorm
 * gradient defines them (mean and variance as independent inputs), with r = 1/√(variance + ε),
 * s = scale (1 when scaleOff < 0): dx = dy·r·s, dMean = −r·s·Σ dy, dVariance = −½ r³ s Σ (x − mean)·dy,
 * dScale = r Σ (x − mean)·dy, dOffset = Σ dy (sums over rows, in double).
 */
static napi_value batch_norm_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 14, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t xOff, dyOff, rows, c, mOff, vOff, sOff, dxOff, dmOff, dvOff, dsOff, doOff;
  float eps;
  if (!get_i64(env, argv[1], &xOff, "xOff") || !get_i64(env, argv[2], &dyOff, "dyOff") || !get_i64(env, argv[3], &rows, "rows") ||
      !get_i64(env, argv[4], &c, "channels") || !get_i64(env, argv[5], &mOff, "meanOff") || !get_i64(env, argv[6], &vOff, "varianceOff") ||
      !get_i64(env, argv[7], &sOff, "scaleOff") || !get_f32(env, argv[8], &eps, "epsilon") || !get_i64(env, argv[9], &dxOff, "dxOff") ||
      !get_i64(env, argv[10], &dmOff, "dMeanOff") || !get_i64(env, argv[11], &dvOff, "dVarianceOff") || !get_i64(env, argv[12], &dsOff, "dScaleOff") ||
      !get_i64(env, argv[13], &doOff, "dOffsetOff"))
    return NULL;
  if (rows < 0 || c < 0 || rows > MAX_FLOATS || c > INT32_MAX || (double)rows * (double)c > (double)MAX_FLOATS) {
    fail(env, "ERR_ARGS", "rows and channels must be non-negative (and rows·channels < 2^40)");
    return NULL;
  }
  if (!in_heap(env, xOff, rows * c, len, "x") || !in_heap(env, dyOff, rows * c, len, "dy") || !in_heap(env, dxOff, rows * c, len, "dx") ||
      !in_heap(env, mOff, c, len, "mean") || !in_heap(env, vOff, c, len, "variance") || (sOff >= 0 && !in_heap(env, sOff, c, len, "scale")) ||
      !in_heap(env, dmOff, c, len, "dMean") || !in_heap(env, dvOff, c, len, "dVariance") || !in_heap(env, dsOff, c, len, "dScale") ||
      !in_heap(env, doOff, c, len, "dOffset"))
    return NULL;
  if (c == 0) return NULL;
  double *acc = (double *)calloc((size_t)c * 2, sizeof(double));
  float *coef = (float *)malloc((size_t)c * sizeof(float));
  if (!acc || !coef) { free(acc); free(coef); fail(env, "ERR_NOMEM", "batchNormGrad: out of memory"); return NULL; }
  double *sumDy = acc, *sumXmDy = acc + c;
  const float *x = (const float *)(heap + xOff), *dy = (const float *)(heap + dyOff), *mean = (const float *)(heap + mOff),
              *var = (const float *)(heap + vOff), *scale = sOff >= 0 ? (const float *)(heap + sOff) : NULL;
  float *dx = (float *)(heap + dxOff);
  for (int64_t j = 0; j < c; j++) coef[j] = (float)((scale ? (double)scale[j] : 1.0) / sqrt((double)var[j] + (double)eps));
  /* Blocks of rows summed in float (vectorises), each block's sums added in double. */
  enum { BLOCK = 64 };
  float *part = (float *)malloc((size_t)c * 2 * sizeof(float));
  if (!part) { free(acc); free(coef); fail(env, "ERR_NOMEM", "batchNormGrad: out of memory"); return NULL; }
  float *pDy = part, *pXm = part + c;
  for (int64_t r0 = 0; r0 < rows; r0 += BLOCK) {
    const int64_t r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    for (int64_t j = 0; j < c; j++) pDy[j] = pXm[j] = 0.f;
    for (int64_t r = r0; r < r1; r++) {
      const float *xr = x + r * c, *dr = dy + r * c;
      float *dxr = dx + r * c;
      for (int64_t j = 0; j < c; j++) {
        const float d = dr[j];
        pDy[j] += d;
        pXm[j] += (xr[j] - mean[j]) * d;
        dxr[j] = d * coef[j];
      }
    }
    for (int64_t j = 0; j < c; j++) { sumDy[j] += pDy[j]; sumXmDy[j] += pXm[j]; }
  }
  float *dMean = (float *)(heap + dmOff), *dVar = (float *)(heap + dvOff), *dScale = (float *)(heap + dsOff), *dOffset = (float *)(heap + doOff);
  for (int64_t j = 0; j < c; j++) {
    const double r = 1.0 / sqrt((double)var[j] + (double)eps), s = scale ? (double)scale[j] : 1.0;
    dMean[j] = (float)(-r * s * sumDy[j]);
    dVar[j] = (float)(-0.5 * r * r * r * s * sumXmDy[j]);
    dScale[j] = (float)(r * sumXmDy[j]);
    dOffset[j] = (float)sumDy[j];
  }
  free(part);
  free(acc);
  free(coef);
  return NULL;
}

void register_conv(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv2d", NULL, conv2d, NULL, NULL, NULL, napi_enumerable, NULL},
      {"conv2dBackpropInput", NULL, conv2d_backprop_input, NULL, NULL, NULL, napi_enumerable, NULL},
      {"conv2dBackpropFilter", NULL, conv2d_backprop_filter, NULL, NULL, NULL, napi_enumerable, NULL},
      {"maxPoolGrad", NULL, max_pool_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tile", NULL, tile, NULL, NULL, NULL, napi_enumerable, NULL},
      {"batchNorm", NULL, batch_norm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"batchNormGrad", NULL, batch_norm_grad, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
