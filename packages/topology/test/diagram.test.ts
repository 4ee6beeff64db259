import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { essentialCountsMatch, splitDiagram } from '../src/diagram';

describe('splitDiagram', () => {
  it('splits finite points and the three essential types, dropping infinite diagonal points', () => {
    const d = splitDiagram([[0, 1], [2, Infinity], [-Infinity, 3], [-Infinity, Infinity], [Infinity, Infinity], [-Infinity, -Infinity], [1, Infinity]], 'a');
    expect(Array.from(d.births)).toEqual([0]);
    expect(Array.from(d.deaths)).toEqual([1]);
    expect(Array.from(d.essentialBirths)).toEqual([1, 2]); // sorted, to be matched in order
    expect(Array.from(d.essentialDeaths)).toEqual([3]);
    expect(d.bothInfinite).toBe(1);
  });

  it('selects a dimension of PersistencePair lists', () => {
    const pairs = [
      { dimension: 0, birth: 0, death: Infinity },
      { dimension: 1, birth: 2, death: 5 },
      { dimension: 0, birth: 1, death: 2 },
    ];
    expect(Array.from(splitDiagram(pairs, 'a', 0).births)).toEqual([1]);
    expect(Array.from(splitDiagram(pairs, 'a', 1).deaths)).toEqual([5]);
    expect(() => splitDiagram(pairs, 'a')).toThrow(InvalidParameterError);
    expect(Array.from(splitDiagram(pairs.slice(1, 2), 'a').births)).toEqual([2]); // one dimension: no choice needed
  });

  it('compares essential counts per type', () => {
    const a = splitDiagram([[0, Infinity], [-Infinity, 1]], 'a');
    expect(essentialCountsMatch(a, splitDiagram([[5, Infinity], [-Infinity, 0]], 'b'))).toBe(true);
    expect(essentialCountsMatch(a, splitDiagram([[5, Infinity], [0, Infinity]], 'b'))).toBe(false);
  });

  it('names the offending point', () => {
    expect(() => splitDiagram([[0, 1], [3, 2]], 'b')).toThrow(/"b\[1\]": \[3,2\] \(allowed: death >= birth\)/);
    expect(() => splitDiagram([[NaN, 1]], 'a')).toThrow(/a\[0\] birth/);
    expect(() => splitDiagram('x' as never, 'a')).toThrow(/"a": "x"/);
    expect(() => splitDiagram([[0, 1]], 'a', -1)).toThrow(/"dimension": -1/);
  });
});
