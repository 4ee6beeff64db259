/*
 * A batch of a byte image dataset as a float tensor on the wasm heap in one pass: the rows at the
 * given indices, each byte mapped through a per-channel table (the normalisation, (v/255 − mean)/std
 * precomputed for the 256 values). The dataset stays in JavaScript memory (a Uint8Array); in
 * JavaScript the same batch costs a table lookup per value and then a copy onto the heap.
 */
#include "util.h"
#include <stdio.h>

typedef struct {
  const uint8_t *src;
  const int32_t *idx;
  const float *table;
  float *out;
  int64_t count, row, channels;
} rows_job;

DISPATCH static void map_row(float *restrict out, const uint8_t *restrict in, int64_t n, int64_t channels, const float *restrict table) {
  if (channels == 1) for (int64_t i = 0; i < n; i++) out[i] = table[in[i]];
  else if (channels == 3)
    for (int64_t i = 0; i + 2 < n; i += 3) {
      out[i] = table[in[i]];
      out[i + 1] = table[256 + in[i + 1]];
      out[i + 2] = table[512 + in[i + 2]];
    }
  else
    for (int64_t i = 0; i < n; i += channels)
      for (int64_t k = 0; k < channels; k++) out[i + k] = table[k * 256 + in[i + k]];
}

static void rows_part(void *ctx, int part, int parts) {
  rows_job *j = (rows_job *)ctx;
  int64_t r0, r1;
  part_range(j->count, part, parts, &r0, &r1);
  for (int64_t r = r0; r < r1; r++) map_row(j->out + r * j->row, j->src + (int64_t)j->idx[r] * j->row, j->row, j->channels, j->table);
}

/*
 * gatherRows(heap, outOff, source, rowLength, indices, table, channels): out[r, i] =
 * table[(i mod channels)·256 + source[indices[r]·rowLength + i]] for r < indices.length, i < rowLength.
 * source: Uint8Array; indices: Int32Array (each row inside source); table: Float32Array(256·channels).
 */
static napi_value gather_rows(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 7, argv)) return NULL;
  uint8_t *heap; size_t len;
  if (!heap_of(env, argv[0], &heap, &len)) return NULL;
  int64_t outOff, row, channels;
  uint8_t *src;
  int32_t *idx;
  float *table;
  size_t srcLen, count, tableLen;
  if (!get_i64(env, argv[1], &outOff, "outOff") || !get_typed(env, argv[2], napi_uint8_array, (void **)&src, &srcLen, "source") ||
      !get_i64(env, argv[3], &row, "rowLength") || !get_typed(env, argv[4], napi_int32_array, (void **)&idx, &count, "indices") ||
      !get_typed(env, argv[5], napi_float32_array, (void **)&table, &tableLen, "table") || !get_i64(env, argv[6], &channels, "channels"))
    return NULL;
  if (row < 1 || channels < 1 || row % channels != 0 || tableLen != (size_t)(256 * channels)) {
    fail(env, "ERR_ARGS", "gatherRows: rowLength must be a positive multiple of channels, table 256·channels values");
    return NULL;
  }
  for (size_t r = 0; r < count; r++)
    if (idx[r] < 0 || (uint64_t)(idx[r] + 1) * (uint64_t)row > srcLen) { fail(env, "ERR_ARGS", "gatherRows: an index is outside the source"); return NULL; }
  if (!in_heap(env, outOff, (int64_t)count * row, len, "out")) return NULL;
  rows_job job = {src, idx, table, (float *)(heap + outOff), (int64_t)count, row, channels};
  run_parallel(rows_part, &job, parallel_parts((int64_t)count * row, 1 << 16));
  return NULL;
}

void register_rows(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gatherRows", NULL, gather_rows, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
