/*
 * Batch normalisation, channels last, on the wasm heap: with statistics given (tfjs'
 * FusedBatchNorm and its gradient, mean and variance as independent inputs) and in training
 * mode, where the statistics are the batch's own and the gradient flows through them
 * (batchNormTrain / batchNormTrainGrad: what tf.layers.batchNormalization computes in training
 * with tf.moments, in two passes each way instead of a dozen whole-tensor kernels).
 */
#include "util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FLOATS ((int64_t)1 << 40)
/* Rows summed in float per block (vectorises), each block's sums then added in double. */
#define BLOCK 64

static int check_rc(napi_env env, int64_t rows, int64_t c) {
  if (rows < 0 || c < 0 || rows > MAX_FLOATS || c > INT32_MAX || (double)rows * (double)c > (double)MAX_FLOATS)
    return fail(env, "ERR_ARGS", "rows and channels must be non-negative (and rows·channels < 2^40)");
  return 1;
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
  if (!check_rc(env, rows, c)) return NULL;
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
  if (!check_rc(env, rows, c)) return NULL;
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

/* Per-channel sums of x (and, with mean, of (x − mean)²) over rows, blocked: float within a block, double across. */
DISPATCH static void channel_sums(const float *restrict x, int64_t rows, int64_t c, const float *restrict mean, double *restrict out, float *restrict part) {
  for (int64_t j = 0; j < c; j++) out[j] = 0;
  for (int64_t r0 = 0; r0 < rows; r0 += BLOCK) {
    const int64_t r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    for (int64_t j = 0; j < c; j++) part[j] = 0.f;
    for (int64_t r = r0; r < r1; r++) {
      const float *restrict xr = x + r * c;
      if (mean) for (int64_t j = 0; j < c; j++) { const float d = xr[j] - mean[j]; part[j] += d * d; }
      else for (int64_t j = 0; j < c; j++) part[j] += xr[j];
    }
    for (int64_t j = 0; j < c; j++) out[j] += part[j];
  }
}

/* y = x·a + b per channel. */
DISPATCH static void scale_shift(const float *restrict x, float *restrict y, int64_t rows, int64_t c, const float *restrict a, const float *restrict b) {
  for (int64_t r = 0; r < rows; r++) {
    const float *restrict xr = x + r * c;
    float *restrict yr = y + r * c;
    for (int64_t j = 0; j < c; j++) yr[j] = xr[j] * a[j] + b[j];
  }
}

static void channel_sums(const float *restrict x, int64_t rows, int64_t c, const float *restrict mean, double *restrict out, float *restrict part);
static void scale_shift(const float *restrict x, float *restrict y, int64_t rows, int64_t c, const float *restrict a, const float *restrict b);
static void grad_sums(const float *restrict x, const float *restrict dy, int64_t rows, int64_t c, const float *restrict mean,
                      double *restrict sumDy, double *restrict sumDyXm, float *restrict pDy, float *restrict pXm);
static void grad_dx(const float *restrict x, const float *restrict dy, float *restrict dx, int64_t rows, int64_t c, const float *restrict mean,
                    const float *restrict a, const float *restrict b, const float *restrict k);

/* Rows per part below which a pass runs on one thread. */
#define PARALLEL_ROWS 1024
#define MAX_PARTS 64

/* The passes over rows, split by rows between the pool's threads; each part's sums in its own slot. */
typedef struct {
  const float *x, *dy, *mean, *a, *b, *k;
  float *y;
  int64_t rows, c;
  double *sums; /* parts × c (× 2 for the gradient's two sums) */
  int failed;
} bn_job;

static void sums_part(void *ctx, int part, int parts) {
  bn_job *j = (bn_job *)ctx;
  int64_t r0, r1;
  part_range(j->rows, part, parts, &r0, &r1);
  float *tmp = (float *)malloc((size_t)j->c * sizeof(float));
  if (!tmp) { j->failed = 1; return; }
  channel_sums(j->x + r0 * j->c, r1 - r0, j->c, j->mean, j->sums + part * j->c, tmp);
  free(tmp);
}

static void scale_shift_part(void *ctx, int part, int parts) {
  bn_job *j = (bn_job *)ctx;
  int64_t r0, r1;
  part_range(j->rows, part, parts, &r0, &r1);
  scale_shift(j->x + r0 * j->c, j->y + r0 * j->c, r1 - r0, j->c, j->a, j->b);
}

static void grad_sums_part(void *ctx, int part, int parts) {
  bn_job *j = (bn_job *)ctx;
  int64_t r0, r1;
  part_range(j->rows, part, parts, &r0, &r1);
  float *tmp = (float *)malloc((size_t)j->c * 2 * sizeof(float));
  if (!tmp) { j->failed = 1; return; }
  double *out = j->sums + (int64_t)part * 2 * j->c;
  grad_sums(j->x + r0 * j->c, j->dy + r0 * j->c, r1 - r0, j->c, j->mean, out, out + j->c, tmp, tmp + j->c);
  free(tmp);
}

static void grad_dx_part(void *ctx, int part, int parts) {
  bn_job *j = (bn_job *)ctx;
  int64_t r0, r1;
  part_range(j->rows, part, parts, &r0, &r1);
  grad_dx(j->x + r0 * j->c, j->dy + r0 * j->c, j->y + r0 * j->c, r1 - r0, j->c, j->mean, j->a, j->b, j->k);
}

/* Σ over parts of slot s (of `stride` doubles per part) into out[c]. */
static void reduce_parts(const double *sums, int parts, int64_t c, int64_t stride, int64_t s, double *out) {
  for (int64_t j = 0; j < c; j++) {
    double t = 0;
    for (int p = 0; p < parts; p++) t += sums[p * stride + s * c + j];
    out[j] = t;
  }
}

/*
 * batchNormTrain(heap, xOff, rows, channels, scaleOff, offsetOff, epsilon, yOff, meanOff, varianceOff):
 * mean = Σx/n, variance = Σ(x − mean)²/n over the rows (two passes, sums in double), then
 * y = scale·(x − mean)/√(variance + ε) + offset (scaleOff / offsetOff < 0: 1 / 0).
 */
static napi_value batch_norm_train(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 10, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t xOff, rows, c, sOff, oOff, yOff, mOff, vOff;
  float eps;
  if (!get_i64(env, argv[1], &xOff, "xOff") || !get_i64(env, argv[2], &rows, "rows") || !get_i64(env, argv[3], &c, "channels") ||
      !get_i64(env, argv[4], &sOff, "scaleOff") || !get_i64(env, argv[5], &oOff, "offsetOff") || !get_f32(env, argv[6], &eps, "epsilon") ||
      !get_i64(env, argv[7], &yOff, "yOff") || !get_i64(env, argv[8], &mOff, "meanOff") || !get_i64(env, argv[9], &vOff, "varianceOff"))
    return NULL;
  if (!check_rc(env, rows, c)) return NULL;
  if (rows < 1) return fail(env, "ERR_ARGS", "batchNormTrain: no rows to take statistics over"), NULL;
  if (!in_heap(env, xOff, rows * c, len, "x") || !in_heap(env, yOff, rows * c, len, "y") || !in_heap(env, mOff, c, len, "mean") ||
      !in_heap(env, vOff, c, len, "variance") || (sOff >= 0 && !in_heap(env, sOff, c, len, "scale")) || (oOff >= 0 && !in_heap(env, oOff, c, len, "offset")))
    return NULL;
  if (c == 0) return NULL;
  int parts = parallel_parts(rows, PARALLEL_ROWS);
  if (parts > MAX_PARTS) parts = MAX_PARTS;
  double *sums = (double *)malloc((size_t)c * (size_t)(parts + 1) * sizeof(double));
  float *tmp = (float *)malloc((size_t)c * 2 * sizeof(float));
  if (!sums || !tmp) { free(sums); free(tmp); fail(env, "ERR_NOMEM", "batchNormTrain: out of memory"); return NULL; }
  double *total = sums + (int64_t)parts * c;
  float *a = tmp, *b = tmp + c;
  const float *x = (const float *)(heap + xOff);
  const float *scale = sOff >= 0 ? (const float *)(heap + sOff) : NULL, *offset = oOff >= 0 ? (const float *)(heap + oOff) : NULL;
  float *mean = (float *)(heap + mOff), *var = (float *)(heap + vOff), *y = (float *)(heap + yOff);
  bn_job job = {x, NULL, NULL, a, b, NULL, y, rows, c, sums, 0};
  run_parallel(sums_part, &job, parts);
  reduce_parts(sums, parts, c, c, 0, total);
  for (int64_t j = 0; j < c; j++) mean[j] = (float)(total[j] / (double)rows);
  job.mean = mean;
  run_parallel(sums_part, &job, parts);
  reduce_parts(sums, parts, c, c, 0, total);
  if (job.failed) { free(sums); free(tmp); fail(env, "ERR_NOMEM", "batchNormTrain: out of memory"); return NULL; }
  double *varSums = total;
  for (int64_t j = 0; j < c; j++) {
    var[j] = (float)(varSums[j] / (double)rows);
    const double r = 1.0 / sqrt((double)var[j] + (double)eps), s = scale ? (double)scale[j] : 1.0;
    a[j] = (float)(s * r);
    b[j] = (float)((offset ? (double)offset[j] : 0.0) - (double)mean[j] * s * r);
  }
  run_parallel(scale_shift_part, &job, parts);
  free(sums);
  free(tmp);
  return NULL;
}

/* Per channel Σ dy and Σ dy·(x − mean) over rows, blocked as channel_sums. */
DISPATCH static void grad_sums(const float *restrict x, const float *restrict dy, int64_t rows, int64_t c, const float *restrict mean,
                               double *restrict sumDy, double *restrict sumDyXm, float *restrict pDy, float *restrict pXm) {
  for (int64_t j = 0; j < c; j++) sumDy[j] = sumDyXm[j] = 0;
  for (int64_t r0 = 0; r0 < rows; r0 += BLOCK) {
    const int64_t r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    for (int64_t j = 0; j < c; j++) pDy[j] = pXm[j] = 0.f;
    for (int64_t r = r0; r < r1; r++) {
      const float *restrict xr = x + r * c, *restrict dr = dy + r * c;
      for (int64_t j = 0; j < c; j++) { pDy[j] += dr[j]; pXm[j] += dr[j] * (xr[j] - mean[j]); }
    }
    for (int64_t j = 0; j < c; j++) { sumDy[j] += pDy[j]; sumDyXm[j] += pXm[j]; }
  }
}

/* dx = dy·a + (x − mean)·b + k per channel. */
DISPATCH static void grad_dx(const float *restrict x, const float *restrict dy, float *restrict dx, int64_t rows, int64_t c, const float *restrict mean,
                             const float *restrict a, const float *restrict b, const float *restrict k) {
  for (int64_t r = 0; r < rows; r++) {
    const float *restrict xr = x + r * c, *restrict dr = dy + r * c;
    float *restrict out = dx + r * c;
    for (int64_t j = 0; j < c; j++) out[j] = dr[j] * a[j] + (xr[j] - mean[j]) * b[j] + k[j];
  }
}

/*
 * batchNormTrainGrad(heap, xOff, dyOff, rows, channels, meanOff, varianceOff, scaleOff, epsilon, dxOff, dScaleOff, dOffsetOff,
 *                    dMeanOff, dVarianceOff):
 * the gradient of batchNormTrain through the batch statistics. With r = 1/√(variance + ε),
 * x̂ = (x − mean)·r, s the scale: dOffset = Σ dy, dScale = Σ dy·x̂,
 * dx = s·r·(dy − Σdy/n − x̂·Σ(dy·x̂)/n) + dMean/n + dVariance·2(x − mean)/n (sums over rows, in
 * double; dMeanOff / dVarianceOff < 0: the outputs mean and variance have no gradient).
 */
static napi_value batch_norm_train_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 14, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t xOff, dyOff, rows, c, mOff, vOff, sOff, dxOff, dsOff, doOff, gmOff, gvOff;
  float eps;
  if (!get_i64(env, argv[1], &xOff, "xOff") || !get_i64(env, argv[2], &dyOff, "dyOff") || !get_i64(env, argv[3], &rows, "rows") ||
      !get_i64(env, argv[4], &c, "channels") || !get_i64(env, argv[5], &mOff, "meanOff") || !get_i64(env, argv[6], &vOff, "varianceOff") ||
      !get_i64(env, argv[7], &sOff, "scaleOff") || !get_f32(env, argv[8], &eps, "epsilon") || !get_i64(env, argv[9], &dxOff, "dxOff") ||
      !get_i64(env, argv[10], &dsOff, "dScaleOff") || !get_i64(env, argv[11], &doOff, "dOffsetOff") ||
      !get_i64(env, argv[12], &gmOff, "dMeanOff") || !get_i64(env, argv[13], &gvOff, "dVarianceOff"))
    return NULL;
  if (!check_rc(env, rows, c)) return NULL;
  if (!in_heap(env, xOff, rows * c, len, "x") || !in_heap(env, dyOff, rows * c, len, "dy") || !in_heap(env, dxOff, rows * c, len, "dx") ||
      !in_heap(env, mOff, c, len, "mean") || !in_heap(env, vOff, c, len, "variance") || (sOff >= 0 && !in_heap(env, sOff, c, len, "scale")) ||
      !in_heap(env, dsOff, c, len, "dScale") || !in_heap(env, doOff, c, len, "dOffset") || (gmOff >= 0 && !in_heap(env, gmOff, c, len, "dMean")) ||
      (gvOff >= 0 && !in_heap(env, gvOff, c, len, "dVariance")))
    return NULL;
  if (c == 0 || rows == 0) {
    for (int64_t j = 0; j < c; j++) ((float *)(heap + dsOff))[j] = ((float *)(heap + doOff))[j] = 0.f;
    return NULL;
  }
  int parts = parallel_parts(rows, PARALLEL_ROWS);
  if (parts > MAX_PARTS) parts = MAX_PARTS;
  double *acc = (double *)malloc((size_t)c * 2 * (size_t)(parts + 1) * sizeof(double));
  float *tmp = (float *)malloc((size_t)c * 3 * sizeof(float));
  if (!acc || !tmp) { free(acc); free(tmp); fail(env, "ERR_NOMEM", "batchNormTrainGrad: out of memory"); return NULL; }
  double *sumDy = acc + (int64_t)parts * 2 * c, *sumDyXm = sumDy + c;
  float *a = tmp, *b = tmp + c, *k = tmp + 2 * c;
  const float *x = (const float *)(heap + xOff), *dy = (const float *)(heap + dyOff), *mean = (const float *)(heap + mOff),
              *var = (const float *)(heap + vOff), *scale = sOff >= 0 ? (const float *)(heap + sOff) : NULL;
  const float *gMean = gmOff >= 0 ? (const float *)(heap + gmOff) : NULL, *gVar = gvOff >= 0 ? (const float *)(heap + gvOff) : NULL;
  float *dScale = (float *)(heap + dsOff), *dOffset = (float *)(heap + doOff);
  bn_job job = {x, dy, mean, a, b, k, (float *)(heap + dxOff), rows, c, acc, 0};
  run_parallel(grad_sums_part, &job, parts);
  if (job.failed) { free(acc); free(tmp); fail(env, "ERR_NOMEM", "batchNormTrainGrad: out of memory"); return NULL; }
  reduce_parts(acc, parts, c, 2 * c, 0, sumDy);
  reduce_parts(acc, parts, c, 2 * c, 1, sumDyXm);
  const double n = (double)rows;
  for (int64_t j = 0; j < c; j++) {
    const double r = 1.0 / sqrt((double)var[j] + (double)eps), s = scale ? (double)scale[j] : 1.0;
    const double sumDyXhat = sumDyXm[j] * r;
    dOffset[j] = (float)sumDy[j];
    dScale[j] = (float)sumDyXhat;
    /* dx = s·r·dy − s·r·Σdy/n − (x − mean)·s·r²·Σ(dy·x̂)/n */
    a[j] = (float)(s * r);
    k[j] = (float)((-s * r * sumDy[j] + (gMean ? (double)gMean[j] : 0.0)) / n);
    b[j] = (float)((-s * r * r * sumDyXhat + (gVar ? 2.0 * (double)gVar[j] : 0.0)) / n);
  }
  run_parallel(grad_dx_part, &job, parts);
  free(acc);
  free(tmp);
  return NULL;
}

void register_batch_norm(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"batchNorm", NULL, batch_norm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"batchNormGrad", NULL, batch_norm_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"batchNormTrain", NULL, batch_norm_train, NULL, NULL, NULL, napi_enumerable, NULL},
      {"batchNormTrainGrad", NULL, batch_norm_train_grad, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
