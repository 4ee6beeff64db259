import { InvalidParameterError } from '@descent/tensor/errors';
import { escapeHtml } from './escape';
import { checkFormat, formatValue, type CellFormat } from './format';

/** A table column: which key of the rows it shows, under what title, and how. */
export interface Column {
  key: string;
  /** Header text (default: the key). */
  title?: string;
  format?: CellFormat;
  /** Default: right for columns holding only numbers, left otherwise. */
  align?: 'left' | 'right' | 'center';
}

export type TableRow = Readonly<Record<string, unknown>>;

export interface TableOptions {
  /** HTML only: a caption above the table. */
  caption?: string;
}

interface Resolved {
  title: string;
  align: 'left' | 'right' | 'center';
  cells: string[];
}

/**
 * An HTML `<table>` of the rows (alignment as inline styles, so it reads anywhere). Columns are
 * keys or {@link Column}s; by default every key that appears in the rows, in order of appearance.
 *
 * @example
 * table(results, ['method', { key: 'testLoss', title: 'test loss', format: { digits: 3 } }, { key: 'acc', format: 'percent' }]);
 */
export function table(rows: ReadonlyArray<TableRow>, columns?: ReadonlyArray<string | Column>, options: TableOptions = {}): string {
  const cols = resolve(rows, columns);
  const caption = options.caption;
  if (caption !== undefined && typeof caption !== 'string') throw new InvalidParameterError('options.caption', caption, 'a string');
  const style = (align: string) => (align === 'left' ? '' : ` style="text-align:${align}"`);
  const head = cols.map((c) => `<th scope="col"${style(c.align)}>${escapeHtml(c.title)}</th>`).join('');
  const body = rows.map((_, r) => `<tr>${cols.map((c) => `<td${style(c.align)}>${escapeHtml(c.cells[r])}</td>`).join('')}</tr>`);
  return [
    '<table class="descent-table">',
    ...(caption ? [`<caption>${escapeHtml(caption)}</caption>`] : []),
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${body.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

/** The same table as GitHub-flavoured Markdown, padded so that the source lines up too. */
export function markdownTable(rows: ReadonlyArray<TableRow>, columns?: ReadonlyArray<string | Column>): string {
  const cols = resolve(rows, columns).map((c) => ({
    ...c,
    title: markdownCell(c.title),
    cells: c.cells.map(markdownCell),
  }));
  const widths = cols.map((c) => Math.max(3, width(c.title), ...c.cells.map(width)));
  const line = (cells: string[]) => `| ${cells.map((s, i) => pad(s, widths[i], cols[i].align)).join(' | ')} |`;
  const rule = cols.map((c, i) => {
    const dashes = '-'.repeat(widths[i] - (c.align === 'center' ? 2 : 1));
    return c.align === 'right' ? `${dashes}:` : c.align === 'center' ? `:${dashes}:` : `${dashes}-`;
  });
  return [line(cols.map((c) => c.title)), `| ${rule.join(' | ')} |`, ...rows.map((_, r) => line(cols.map((c) => c.cells[r])))].join('\n');
}

/** The same table as aligned plain text for terminals: a header, a rule, one line per row. */
export function textTable(rows: ReadonlyArray<TableRow>, columns?: ReadonlyArray<string | Column>): string {
  const cols = resolve(rows, columns).map((c) => ({ ...c, title: oneLine(c.title), cells: c.cells.map(oneLine) }));
  const widths = cols.map((c) => Math.max(width(c.title), ...c.cells.map(width)));
  const line = (cells: string[]) =>
    cells
      .map((s, i) => pad(s, widths[i], cols[i].align))
      .join('  ')
      .trimEnd();
  return [
    line(cols.map((c) => c.title)),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((_, r) => line(cols.map((c) => c.cells[r]))),
  ].join('\n');
}

function resolve(rows: unknown, columns: unknown): Resolved[] {
  if (!Array.isArray(rows)) throw new InvalidParameterError('rows', rows, 'an array of row objects');
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new InvalidParameterError(`rows[${i}]`, row, 'an object');
  });
  let specs: Array<string | Column>;
  if (columns === undefined) {
    const keys = new Set<string>();
    for (const row of rows as TableRow[]) for (const key of Object.keys(row)) keys.add(key);
    specs = [...keys];
    if (specs.length === 0) throw new InvalidParameterError('columns', columns, 'columns, or rows with at least one key to take them from');
  } else {
    if (!Array.isArray(columns) || columns.length === 0) {
      throw new InvalidParameterError('columns', columns, 'a non-empty array of keys or { key, title?, format?, align? }');
    }
    specs = columns;
  }
  return specs.map((spec, i) => {
    const column: Column = typeof spec === 'string' ? { key: spec } : spec;
    if (column === null || typeof column !== 'object' || typeof column.key !== 'string' || column.key === '') {
      throw new InvalidParameterError(`columns[${i}]`, spec, 'a key, or { key, title?, format?, align? }');
    }
    if (column.title !== undefined && typeof column.title !== 'string') {
      throw new InvalidParameterError(`columns[${i}].title`, column.title, 'a string');
    }
    if (column.align !== undefined && !['left', 'right', 'center'].includes(column.align)) {
      throw new InvalidParameterError(`columns[${i}].align`, column.align, "'left', 'right' or 'center'");
    }
    const format = checkFormat(`columns[${i}].format`, column.format);
    const values = (rows as TableRow[]).map((row) => row[column.key]);
    const present = values.filter((v) => v !== null && v !== undefined);
    const numeric = present.length > 0 && present.every((v) => typeof v === 'number' || typeof v === 'bigint');
    return {
      title: column.title ?? column.key,
      align: column.align ?? (numeric ? 'right' : 'left'),
      cells: values.map((v, r) => formatValue(v, format, (rows as TableRow[])[r])),
    };
  });
}

function markdownCell(s: string): string {
  return oneLine(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Display width in code points (combining marks and wide characters are not accounted for). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, w: number, align: 'left' | 'right' | 'center'): string {
  const gap = w - width(s);
  if (gap <= 0) return s;
  if (align === 'right') return ' '.repeat(gap) + s;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + s + ' '.repeat(gap - Math.floor(gap / 2));
  return s + ' '.repeat(gap);
}
