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
 * the tensors. The batch is processed in blocks of rows so the im2col buffer (kept between calls,
 * one per thread) stays under COL_BUDGET floats whatever the batch size.
 */
#include "util.h"
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Floats of the im2col scratch buffer (16 MiB at most, kept per thread). Measured on the CNN's
 * layers with two OpenBLAS threads: larger blocks make fewer, larger products, 2^22 floats ran the
 * three layers' forward and both gradients in 105 ms against 157 ms with 2^19 (one product per
 * layer and batch of 128 for all but the second layer). */
#ifndef COL_BUDGET
#define COL_BUDGET ((int64_t)1 << 22)
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

/* The im2col buffer: the thread's scratch buffer (util.h), kept between calls. */
static float *scratch(napi_env env, int64_t floats) {
  float *p = thread_scratch((size_t)(floats > 0 ? floats : 1));
  if (!p) fail(env, "ERR_NOMEM", "conv: cannot allocate the im2col buffer");
  return p;
}

/*
 * conv2d(heap, geometry, xOff, filterOff, yOff, biasOff, activation, actAlpha):
 * y[n, oy, ox, co] = Σ x[n, oy·sh - top + i·dh, ox·sw - left + j·dw, ci] · f[i, j, ci, co]
 * (+ bias[co] when biasOff ≥ 0, then the activation: the codes of util.h, 0..6).
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
  return NULL;
}

/* best = max(best, v), at = tap where v won (strictly greater: the first maximum stays), branch-free. */
DISPATCH static void running_max(const float *restrict v, float *restrict best, int32_t *restrict at, int32_t tap, int64_t c) {
  for (int64_t ch = 0; ch < c; ch++) {
    const float vv = v[ch], bb = best[ch];
    const int32_t m = -(int32_t)(vv > bb); /* all ones where v wins (never for NaN) */
    best[ch] = vv > bb ? vv : bb;
    at[ch] = (tap & m) | (at[ch] & ~m);
  }
}

/* out[ch] = dy[ch] where this tap holds the window's maximum, else 0 (a whole tap of a tiling window). */
DISPATCH static void route(float *restrict out, const float *restrict d, const int32_t *restrict at, int32_t tap, int64_t c) {
  for (int64_t ch = 0; ch < c; ch++) out[ch] = at[ch] == tap ? d[ch] : 0.f;
}

typedef struct {
  const geom_t *g;
  const float *x, *dy;
  float *dx;
  int64_t c;
  int tiles;
  int failed;
} pool_job;

/* The images of one part. Per output pixel, the window's taps in row-major order, channels
 * innermost (contiguous), and branch-free (selects, which vectorise: a branch per value
 * mispredicts on real data, ~3× slower): at[ch] is the tap of the running maximum, pos[tap] its
 * pixel's offset in the image. */
static void max_pool_grad_part(void *ctx, int part, int parts) {
  pool_job *j = (pool_job *)ctx;
  const geom_t *g = j->g;
  const int64_t c = j->c, taps = g->kh * g->kw;
  int64_t b0, b1;
  part_range(g->n, part, parts, &b0, &b1);
  float *best = (float *)malloc((size_t)c * sizeof(float));
  int32_t *at = (int32_t *)malloc((size_t)c * sizeof(int32_t));
  int64_t *pos = (int64_t *)malloc((size_t)(taps > 0 ? taps : 1) * sizeof(int64_t));
  if (!best || !at || !pos) {
    free(best); free(at); free(pos);
    j->failed = 1;
    return;
  }
  for (int64_t b = b0; b < b1; b++) {
    const float *img = j->x + b * g->h * g->w * c;
    float *dimg = j->dx + b * g->h * g->w * c;
    for (int64_t oy = 0; oy < g->oh; oy++)
      for (int64_t ox = 0; ox < g->ow; ox++) {
        const float *d = j->dy + ((b * g->oh + oy) * g->ow + ox) * c;
        for (int64_t ch = 0; ch < c; ch++) { best[ch] = -INFINITY; at[ch] = -1; }
        for (int64_t i = 0; i < g->kh; i++) {
          const int64_t iy = oy * g->sh - g->pt + i * g->dh;
          for (int64_t jj = 0; jj < g->kw; jj++) {
            const int64_t ix = ox * g->sw - g->pl + jj * g->dw;
            const int32_t tap = (int32_t)(i * g->kw + jj);
            if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w) { pos[tap] = -1; continue; }
            pos[tap] = (iy * g->w + ix) * c;
            running_max(img + pos[tap], best, at, tap, c);
          }
        }
        if (j->tiles) for (int32_t tap = 0; tap < (int32_t)taps; tap++) route(dimg + pos[tap], d, at, tap, c);
        else for (int64_t ch = 0; ch < c; ch++)
          if (at[ch] >= 0) dimg[pos[at[ch]] + ch] += d[ch];
      }
  }
  free(pos);
  free(best);
  free(at);
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
  /* Windows that tile the image exactly (stride = window, no padding or dilation, sizes divisible:
   * the usual 2×2/2 pool) cover every x once: each is written whole, without zeroing dx first. */
  const int tiles = g.sh == g.kh && g.sw == g.kw && g.dh == 1 && g.dw == 1 && g.pt == 0 && g.pl == 0 && g.oh * g.kh == g.h && g.ow * g.kw == g.w;
  if (!tiles) memset(dx, 0, (size_t)nx * sizeof(float));
  if (c == 0) return NULL;
  if (g.kh * g.kw > INT32_MAX) { fail(env, "ERR_ARGS", "maxPoolGrad: window too large"); return NULL; }
  pool_job job = {&g, x, dy, dx, c, tiles, 0};
  /* Parts of whole images (each writes its own part of dx). */
  int parts = parallel_parts(g.n * g.oh * g.ow * c, 1 << 16);
  if (parts > g.n) parts = (int)g.n;
  run_parallel(max_pool_grad_part, &job, parts < 1 ? 1 : parts);
  if (job.failed) fail(env, "ERR_NOMEM", "maxPoolGrad: out of memory");
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

void register_conv(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv2d", NULL, conv2d, NULL, NULL, NULL, napi_enumerable, NULL},
      {"conv2dBackpropInput", NULL, conv2d_backprop_input, NULL, NULL, NULL, napi_enumerable, NULL},
      {"conv2dBackpropFilter", NULL, conv2d_backprop_filter, NULL, NULL, NULL, napi_enumerable, NULL},
      {"maxPoolGrad", NULL, max_pool_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tile", NULL, tile, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
