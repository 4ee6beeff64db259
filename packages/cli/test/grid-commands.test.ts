import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve(import.meta.dirname, '../bin/descent.js');

function descent(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

// Two basins of different depth on a 16 × 16 grid: one essential H0 class, one finite.
function twoBasins(): number[][] {
  return Array.from({ length: 16 }, (_, i) =>
    Array.from({ length: 16 }, (_, j) => -Math.exp(-((i - 4) ** 2 + (j - 4) ** 2) / 6) - 0.5 * Math.exp(-((i - 11) ** 2 + (j - 11) ** 2) / 6)),
  );
}

describe('descent topology and descent wavelet (built command)', () => {
  it('topology: two basins, their barrier, the diagram files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-grid-'));
    writeFileSync(join(dir, 'grid.json'), JSON.stringify(twoBasins()));
    const r = await descent(['topology', join(dir, 'grid.json'), '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { summary, diagram } = JSON.parse(r.stdout);
    expect(summary.basins).toBe(2);
    expect(summary.barrierDepth).toBeGreaterThan(0.3);
    expect(diagram.filter((p: { dimension: number; death: number | null }) => p.dimension === 0 && p.death === null)).toHaveLength(1);
    for (const f of ['diagram.json', 'diagram.svg', 'barcode.svg', 'betti.svg', 'report.html']) expect(existsSync(join(dir, 'out', f)), f).toBe(true);
    // The report carries the three figures: the diagram (diagonal, ∞ line), the barcode, the Betti curves.
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    for (const title of ['Persistence diagram', 'Barcode', 'Betti curves']) expect(html).toMatch(new RegExp(`<figure class="plot" id="figure-\\d+" aria-label="${title}"`));
    expect(html).toMatch(/>∞<\/text>/);
    expect(html).toContain('essential (never dies)');
    expect(html).toMatch(/aria-label="Dimension: H0; birth: [^"]*; death: ∞ \(essential\)/);
    expect(html).toMatch(/aria-roledescription="bar"/);
    expect(html).toContain('β1');
  });

  it('wavelet: energy shares sum to one; CSV input; bad input is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-grid-'));
    writeFileSync(join(dir, 'grid.csv'), twoBasins().map((r) => r.join(',')).join('\n'));
    const r = await descent(['wavelet', join(dir, 'grid.csv'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.bands).toHaveLength(3);
    expect(out.bands.reduce((s: number, b: { share: number }) => s + b.share, 0)).toBeCloseTo(1, 6);
    // The same surface with fine-scale noise added is rougher.
    let seed = 1;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 1.0;
    writeFileSync(join(dir, 'noisy.csv'), twoBasins().map((r) => r.map((v) => v + noise()).join(',')).join('\n'));
    const noisy = JSON.parse((await descent(['wavelet', join(dir, 'noisy.csv'), '--json'])).stdout);
    expect(out.roughness).toBeGreaterThan(0);
    expect(noisy.roughness).toBeGreaterThan(out.roughness + 0.05);
    writeFileSync(join(dir, 'bad.csv'), '1,2\n3,x\n');
    const bad = await descent(['wavelet', join(dir, 'bad.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/row 2, column 2/);
    expect((await descent(['topology', join(dir, 'missing.json')])).code).toBe(2);
    expect(readFileSync(join(dir, 'grid.csv'), 'utf8').length).toBeGreaterThan(0);
  });

  it('wavelet --out --cwt: coefficient maps per level and a scalogram in the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-grid-'));
    writeFileSync(join(dir, 'grid.json'), JSON.stringify(twoBasins()));
    const r = await descent(['wavelet', join(dir, 'grid.json'), '--cwt', 'mexh', '--scales', '1:6', '--profile', 'col:4', '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { cwt } = JSON.parse(r.stdout);
    expect(cwt.scales).toEqual([1, 2, 3, 4, 5, 6]);
    expect(cwt.profile).toBe('column 4 (x = 4)');
    for (const f of ['coefficients.svg', 'scalogram.svg', 'cwt.json', 'report.html']) expect(existsSync(join(dir, 'out', f)), f).toBe(true);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toMatch(/<figure class="plot" id="figure-\d+" aria-label="Wavelet coefficients per level \(haar\)"/);
    expect(html).toMatch(/<figure class="plot" id="figure-\d+" aria-label="Scalogram \(mexh\) of column 4 \(x = 4\)"/);
    for (const panel of ['cA, level 2', 'H, level 2', 'V, level 1', 'D, level 1']) expect(html).toContain(`>${panel}</text>`);
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'cwt.json'), 'utf8'));
    expect(saved.magnitude).toHaveLength(6);
    expect(saved.magnitude[0]).toHaveLength(16);
    // The basin at row 4 of column 4 is the strongest feature of the profile.
    const peak = saved.magnitude[2].indexOf(Math.max(...saved.magnitude[2]));
    expect(Math.abs(peak - 4)).toBeLessThanOrEqual(1);
    // Without --cwt there is no scalogram, and --scales alone is a usage error.
    expect((await descent(['wavelet', join(dir, 'grid.json'), '--scales', '1:4'])).code).toBe(2);
    expect((await descent(['wavelet', join(dir, 'grid.json'), '--cwt', 'mexh', '--scales', '4:1'])).code).toBe(2);
    expect((await descent(['wavelet', join(dir, 'grid.json'), '--cwt', 'db4'])).code).toBe(2);
  });

  it('wavelet on a 1-D series: the CWT only, on a geometric scale axis', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-grid-'));
    writeFileSync(join(dir, 'series.csv'), Array.from({ length: 128 }, (_, t) => Math.sin((2 * Math.PI * t) / 16)).join(','));
    const r = await descent(['wavelet', join(dir, 'series.csv'), '--scales', '2:32:9', '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { cwt } = JSON.parse(r.stdout);
    expect(cwt.wavelet).toBe('morl');
    expect(cwt.scales).toHaveLength(9);
    expect(cwt.scales[4]).toBeCloseTo(8, 12);
    // A period-16 sine peaks near scale 0.8125 · 16 = 13 for morl.
    expect(cwt.dominantScale).toBeGreaterThan(9);
    expect(cwt.dominantScale).toBeLessThan(17);
    expect(existsSync(join(dir, 'out', 'multiscale.json'))).toBe(false);
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toMatch(/aria-label="Scalogram \(morl\) of series.csv"/);
  });
});
