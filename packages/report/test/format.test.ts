import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { formatValue } from '@descent/report';
import { checkFormat } from '../src/format';


describe('formatValue', () => {
  it.each<[unknown, Parameters<typeof formatValue>[1], string]>([
    [283914, 'auto', '283,914'],
    [0.48123456, 'auto', '0.4812'],
    [2.302585, 'auto', '2.303'],
    [29.2718, 'auto', '29.27'],
    [0.000123, 'auto', '1.23e-4'],
    [1.5e12 + 0.5, 'auto', '1.50e+12'],
    [-0, 'auto', '0'],
    [NaN, 'auto', 'NaN'],
    [-Infinity, 'auto', '−∞'],
    [null, 'auto', '—'],
    [undefined, 'percent', '—'],
    ['lecun', 'auto', 'lecun'],
    [true, 'auto', 'yes'],
    [12n, 'auto', '12'],
    [{ lr: 0.1 }, 'auto', '{"lr":0.1}'],
    [0.347, 'percent', '34.7%'],
    [1234.6, 'integer', '1,235'],
    [1536, 'bytes', '1.50 KiB'],
    [300e6, 'bytes', '286 MiB'],
    [512, 'bytes', '512 B'],
    [0.1234, 'exponent', '1.23e-1'],
    [Math.PI, { digits: 3 }, '3.142'],
    [2, (v: unknown) => `×${v}`, '×2'],
  ])('%s as %s → %s', (value, format, expected) => {
    expect(formatValue(value, format)).toBe(expected);
  });

  it('refuses unknown formats', () => {
    expect(() => checkFormat('f', 'scientific')).toThrow(InvalidParameterError);
    expect(() => checkFormat('f', { digits: -1 })).toThrow(InvalidParameterError);
    expect(checkFormat('f', undefined)).toBe('auto');
  });
});
