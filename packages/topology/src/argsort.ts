/**
 * Stable argsort of float64 values: returns `ids` reordered by (values[id], position in `ids`).
 *
 * LSD radix sort on the IEEE-754 bit patterns (sign-flipped so that unsigned order is numeric
 * order). Radix sorting is several times faster than a comparison sort on millions of cells, and
 * its stability gives the deterministic tie-break (by cell index) that the persistence algorithms
 * rely on. Digits are 16 bits wide for large inputs and 8 bits for small ones (whose cost would
 * otherwise be the 65536-bucket histograms); passes whose digit is constant, common for
 * integer-valued grids, are skipped.
 */
export function argsortValues(values: Float64Array, ids: Int32Array): Int32Array {
  const n = ids.length;
  const gathered = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = values[ids[k]];
    gathered[k] = v === 0 ? 0 : v; // -0 and +0 must share a key
  }
  const words = new Uint32Array(gathered.buffer);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  const L = LITTLE_ENDIAN ? 0 : 1;
  const H = 1 - L;
  for (let k = 0; k < n; k++) {
    let h = words[2 * k + H];
    let l = words[2 * k + L];
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    hi[k] = h;
    lo[k] = l;
  }
  const bits = n > 1 << 16 ? 16 : 8;
  const buckets = 1 << bits;
  const mask = buckets - 1;
  const perWord = 32 / bits; // digits never straddle the two 32-bit words
  const passes = 2 * perWord;
  const counts = new Int32Array(passes * buckets);
  for (let k = 0; k < n; k++) {
    const l = lo[k];
    const h = hi[k];
    for (let d = 0; d < perWord; d++) {
      counts[d * buckets + ((l >>> (d * bits)) & mask)]++;
      counts[(perWord + d) * buckets + ((h >>> (d * bits)) & mask)]++;
    }
  }
  let idA = Int32Array.from(ids);
  let idB = new Int32Array(n);
  let loB = new Uint32Array(n);
  let hiB = new Uint32Array(n);
  for (let pass = 0; pass < passes; pass++) {
    const base = pass * buckets;
    let trivial = false;
    for (let d = 0; d < buckets; d++) {
      const c = counts[base + d];
      if (c === n) trivial = true;
      if (c !== 0) break;
    }
    if (trivial || n === 0) continue;
    // Exclusive prefix sums turn counts into write positions.
    let sum = 0;
    for (let d = 0; d < buckets; d++) {
      const c = counts[base + d];
      counts[base + d] = sum;
      sum += c;
    }
    const key = pass < perWord ? lo : hi;
    const shift = (pass % perWord) * bits;
    for (let k = 0; k < n; k++) {
      const at = counts[base + ((key[k] >>> shift) & mask)]++;
      idB[at] = idA[k];
      loB[at] = lo[k];
      hiB[at] = hi[k];
    }
    [idA, idB] = [idB, idA];
    [lo, loB] = [loB, lo];
    [hi, hiB] = [hiB, hi];
  }
  return idA;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
