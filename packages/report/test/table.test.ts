import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { markdownTable, table, textTable, type Column } from '@descent/report';


const rows = [
  { method: 'lecun', loss: 0.48123, acc: 0.8312, params: 283914 },
  { method: 'l-momentum', loss: NaN, acc: null, params: 283914 },
  { method: 'a|b <x>', loss: 2.302585, acc: 0.1, params: 12 },
];
const columns: Column[] = [
  { key: 'method', title: 'Method' },
  { key: 'loss', title: 'Test loss', format: { digits: 3 } },
  { key: 'acc', title: 'Accuracy', format: 'percent' },
  { key: 'params' },
];

describe('table', () => {
  it('writes an escaped HTML table with formatted, right-aligned numbers', () => {
    const html = table(rows, columns, { caption: 'Initializers & results' });
    expect(html).toContain('<caption>Initializers &amp; results</caption>');
    expect(html).toContain('<th scope="col">Method</th><th scope="col" style="text-align:right">Test loss</th>');
    expect(html).toContain(
      '<td>lecun</td><td style="text-align:right">0.481</td><td style="text-align:right">83.1%</td><td style="text-align:right">283,914</td>'
    );
    expect(html).toContain('<td>l-momentum</td><td style="text-align:right">NaN</td><td style="text-align:right">—</td>');
    expect(html).toContain('<td>a|b &lt;x&gt;</td>');
    expect(html).not.toContain('<x>');
    expect(html.match(/<tr>/g)).toHaveLength(4);
  });

  it('takes the columns from the rows when none are given', () => {
    const html = table([{ a: 1 }, { b: 'x' }]);
    expect(html).toContain('<th scope="col" style="text-align:right">a</th><th scope="col">b</th>');
    expect(html).toContain('<td style="text-align:right">1</td><td>—</td>');
  });
});

describe('markdownTable', () => {
  it('writes a padded GitHub table, escaping pipes', () => {
    expect(markdownTable(rows, columns)).toBe(
      [
        '| Method     | Test loss | Accuracy |  params |',
        '| ---------- | --------: | -------: | ------: |',
        '| lecun      |     0.481 |    83.1% | 283,914 |',
        '| l-momentum |       NaN |        — | 283,914 |',
        '| a\\|b <x>   |     2.303 |    10.0% |      12 |',
      ].join('\n')
    );
  });

  it('centres on request', () => {
    expect(markdownTable([{ k: 'ab' }], [{ key: 'k', align: 'center' }]).split('\n')[1]).toBe('| :-: |');
  });
});

describe('textTable', () => {
  it('aligns columns for a terminal', () => {
    expect(textTable(rows, columns)).toBe(
      [
        'Method      Test loss  Accuracy   params',
        '──────────  ─────────  ────────  ───────',
        'lecun           0.481     83.1%  283,914',
        'l-momentum        NaN         —  283,914',
        'a|b <x>         2.303     10.0%       12',
      ].join('\n')
    );
  });
});

describe('table input checks', () => {
  it.each<[string, () => unknown]>([
    ['rows that are not an array', () => table({} as never)],
    ['a row that is not an object', () => table([1] as never)],
    ['no columns', () => table(rows, [])],
    ['no rows and no columns', () => markdownTable([])],
    ['a column without a key', () => textTable(rows, [{ key: '' }])],
    ['an unknown alignment', () => table(rows, [{ key: 'method', align: 'justify' as 'left' }])],
    ['an unknown format', () => table(rows, [{ key: 'loss', format: 'sci' as 'auto' }])],
  ])('refuses %s', (_, make) => {
    expect(make).toThrow(InvalidParameterError);
  });

  it('renders a header-only table for no rows with columns', () => {
    expect(textTable([], ['a', 'bb'])).toBe('a  bb\n─  ──');
  });
});
