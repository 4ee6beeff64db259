import { describe, it, expect } from 'vitest';
import { neighbourOffsets, padGrid } from '../src/padded-grid';

describe('padGrid and neighbourOffsets', () => {
  it('pads every axis by one border cell', () => {
    const p = padGrid({ data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
    expect(p.dims).toEqual([4, 5]);
    expect(Array.from(p.cells)).toEqual([6, 7, 8, 11, 12, 13]);
    expect(Array.from(p.cells, (c) => p.values[c])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(p.interior.reduce((a, b) => a + b, 0)).toBe(6);
    expect(padGrid({ data: Float64Array.from([7, 8]), shape: [2] }).dims).toEqual([3, 4]);
  });

  it('has 4/8 neighbours in 2-D and 6/26 in 3-D, the 2-D ring in cyclic order', () => {
    expect(neighbourOffsets([5, 7], 'face').length).toBe(4);
    const ring = Array.from(neighbourOffsets([5, 7], 'full'));
    expect(ring.length).toBe(8);
    // consecutive ring neighbours differ by one step along one axis
    for (let j = 0; j < 8; j++) expect([1, 7]).toContain(Math.abs(ring[j] - ring[(j + 1) % 8]));
    expect(neighbourOffsets([4, 5, 6], 'face').length).toBe(6);
    expect(new Set(neighbourOffsets([4, 5, 6], 'full')).size).toBe(26);
  });
});
