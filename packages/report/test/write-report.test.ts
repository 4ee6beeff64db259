import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidParameterError } from '@descent/tensor/errors';
import { writeReport } from '@descent/report';


describe('writeReport', () => {
  it('writes the file, creating directories, and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-report-'));
    const path = join(dir, 'nested', 'deeper', 'report.html');
    await writeReport(path, '<p>ü</p>');
    expect(readFileSync(path, 'utf8')).toBe('<p>ü</p>');
    expect(readdirSync(join(dir, 'nested', 'deeper'))).toEqual(['report.html']);
  });

  it('replaces an existing file whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-report-'));
    const path = join(dir, 'report.html');
    writeFileSync(path, 'old '.repeat(10_000));
    await writeReport(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('cleans up and rethrows when the rename fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-report-'));
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'x'), 'keep');
    await expect(writeReport(join(dir, 'taken'), 'html')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('refuses a missing path or non-string content', async () => {
    await expect(writeReport('', 'x')).rejects.toThrow(InvalidParameterError);
    await expect(writeReport(join(tmpdir(), 'x.html'), 42 as unknown as string)).rejects.toThrow(InvalidParameterError);
  });
});
