import { describe, it, expect, vi, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResults, type EpochRecord } from '@descent/train';
import { saveSurface } from '@descent/landscape';
import { lineChart } from '@descent/report';
import { main } from '../src/main';

// `descent report` in-process on run folders written here the way descent train, a study and
// descent landscape surface write them (results.jsonl/csv, summary.json, config.json; surface
// .json + .bin).
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

function records(n: number, scale: number): EpochRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    epoch: i + 1,
    trainLoss: scale / (i + 1),
    trainAccuracy: 0.5 + 0.1 * i,
    testLoss: scale / (i + 1) + 0.05,
    testAccuracy: 0.45 + 0.1 * i - (i === n - 1 ? 0.15 : 0),
    gradNorm: 1 / (i + 1),
    lr: 1e-3,
    seconds: 2,
    msPerStep: 3.5,
    tensorBytes: 1e6,
    optimizerStateBytes: 2e5 * scale,
    rssBytes: 1e8,
    skippedSteps: 0,
  }));
}

function trainRun(dir: string, optimizer: string, scale: number, epochs = 3, withConfig = true): Record<string, unknown> {
  mkdirSync(dir, { recursive: true });
  const config = { dataset: 'fashion-mnist', model: 'simple-mlp', activation: 'relu', optimizer: { id: optimizer, config: { lr: 0.001 } }, epochs, batchSize: 128, seed: 0, backend: 'cpu' };
  const history = records(epochs, scale);
  writeResults(dir, history);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ status: 'completed', diverged: null, epochs, final: history.at(-1), resumedFrom: null, meta: config }));
  if (withConfig) writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return config;
}

const root = mkdtempSync(join(tmpdir(), 'descent-report-'));
const sgd = join(root, 'sgd');
const adam = join(root, 'adam');
let sgdConfig: Record<string, unknown>;

beforeAll(() => {
  sgdConfig = trainRun(sgd, 'sgd', 2);
  trainRun(adam, 'adam', 1, 4);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('descent report', () => {
  it('explains itself; no folder, a missing folder or one without results is a usage error (exit 2)', async () => {
    const help = await run(['report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('descent report <run-dir>');
    expect((await run(['report'])).code).toBe(2);
    const missing = await run(['report', join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/is not a folder/);
    mkdirSync(join(root, 'empty'), { recursive: true });
    const empty = await run(['report', join(root, 'empty')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no results\.jsonl/);
  });

  it('rebuilds a training run\'s report.html from results.jsonl, summary.json and config.json', async () => {
    const r = await run(['report', sgd, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'train', report: join(sgd, 'report.html') });
    const html = readFileSync(join(sgd, 'report.html'), 'utf8');
    expect(html).toContain('<title>descent train — sgd on fashion-mnist</title>');
    // Summary table, the plots, the exact config, versions and links to the raw results.
    expect(html).toMatch(/<section class="summary"[\s\S]*best test accuracy[\s\S]*<\/section>/);
    expect(html).toContain('Completed 3 epochs in 6.0 s.');
    expect(html).toMatch(/<figure class="plot" id="figure-1"[^>]*><svg/);
    expect(html).toContain(JSON.stringify(sgdConfig, null, 2).replace(/"/g, '&quot;'));
    for (const v of ['@descent/report', '@descent/cli', 'TensorFlow.js', 'tfjs backend', process.version]) expect(html).toContain(v);
    for (const f of ['results.csv', 'results.jsonl', 'summary.json', 'config.json']) expect(html).toContain(`<a href="${f}">`);
  });

  it('writes elsewhere with --out, links pointing back into the run folder', async () => {
    const out = join(root, 'elsewhere', 'sgd.html');
    const r = await run(['report', sgd, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<a href="../sgd/results.jsonl">');
  });

  it('compares several runs: curves overlaid, final and best values, each config', async () => {
    const out = join(root, 'compare.html');
    const r = await run(['report', sgd, adam, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'comparison', runs: 2 });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('descent report — 2 runs compared');
    // adam's best test accuracy: epoch 3 (0.65), since the last epoch dips.
    expect(html).toMatch(/<td[^>]*>adam<\/td><td[^>]*>adam<\/td><td[^>]*>completed<\/td><td[^>]*>4<\/td>/);
    expect(html).toContain('65.00 % (adam)');
    // One legend entry per run in the curves, every metric recorded gets a panel.
    const specs = JSON.parse(/<script type="application\/json" id="descent-plot-specs">([^<]*)<\/script>/.exec(html)![1]);
    const data = JSON.stringify(specs[0].spec);
    expect(data).toContain('"sgd"');
    expect(data).toContain('"adam"');
    for (const panel of ['Train loss', 'Test accuracy', 'Learning rate', 'Optimizer state']) expect(html).toContain(panel);
    expect(html).toContain('&quot;sgd&quot;: {');
    expect(html).toContain('<a href="adam/summary.json">adam: summary.json</a>');
  });

  it('takes a study folder\'s runs (runs/<name>/results.jsonl, no config.json) for a comparison', async () => {
    const study = join(root, 'study');
    trainRun(join(study, 'runs', 'sgd'), 'sgd', 2, 3, false);
    trainRun(join(study, 'runs', 'lion'), 'lion', 1.5, 3, false);
    const r = await run(['report', study, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'comparison', report: join(study, 'comparison.html'), runs: 2 });
    const html = readFileSync(join(study, 'comparison.html'), 'utf8');
    expect(html).toContain('lion, sgd');
  });

  it('rebuilds a landscape surface report: contour and rotatable 3-D view, grid files linked', async () => {
    const dir = join(root, 'surface');
    mkdirSync(dir, { recursive: true });
    const x = [-1, -0.5, 0, 0.5, 1];
    const loss = new Float64Array(25).map((_, i) => 0.2 + x[i % 5] ** 2 + 2 * x[Math.floor(i / 5)] ** 2);
    saveSurface(dir, 'surface-random', { x, y: x, loss, accuracy: new Float64Array(25).fill(0.5) }, { kind: 'random', split: 'test', axes: ['α (random direction 1)', 'β (random direction 2)'], checkpoint: 3, samples: 64, model: 'simple-mlp', backend: 'cpu' });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ command: 'descent landscape surface', options: { grid: '5' } }));
    const r = await run(['report', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'surface', report: join(dir, 'report.html') });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/<figure class="plot" id="figure-1"[^>]*><svg/);
    expect(html).toMatch(/<figure class="plot surface3d" id="figure-2"[^>]*>[\s\S]*<canvas/);
    expect(html).toContain('minimum 0.2 at (0, 0)');
    expect(html).toContain('&quot;command&quot;: &quot;descent landscape surface&quot;');
    for (const f of ['surface-random.json', 'surface-random.bin', 'config.json']) expect(html).toContain(`<a href="${f}">`);
    expect(existsSync(join(dir, 'surface-random.svg'))).toBe(false);
    expect(html).not.toContain('surface-random.svg');
  });

  it('rebuilds the report of another landscape subcommand from its report.json, the SVGs inlined', async () => {
    const dir = join(root, 'interp');
    mkdirSync(dir, { recursive: true });
    const plot = lineChart({ title: 'Loss along the line', x: { field: 'alpha' }, y: { field: 'loss' }, data: [0, 0.5, 1].map((alpha) => ({ alpha, loss: 1 + (alpha - 0.5) ** 2 })) });
    writeFileSync(join(dir, 'interp.svg'), await plot.toSvg());
    writeFileSync(join(dir, 'interp.json'), '{}');
    const input = { title: 'descent landscape interp', text: 'interp: loss 1.25 at α≈0', summary: { points: 3 }, config: { command: 'descent landscape interp', options: { points: '3' } }, backend: 'cpu', files: ['interp.json', 'interp.svg'] };
    writeFileSync(join(dir, 'report.json'), JSON.stringify(input));
    const r = await run(['report', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'landscape', report: join(dir, 'report.html') });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Interp</h2>');
    expect(html).toMatch(/<figure class="plot"><svg/);
    expect(html).toContain('interp: loss 1.25 at α≈0');
    for (const f of ['interp.json', 'interp.svg', 'report.json']) expect(html).toContain(`<a href="${f}">`);
    writeFileSync(join(dir, 'report.json'), '{"files": 1}');
    expect((await run(['report', dir])).code).toBe(2);
  });
});

describe('descent report on folders of descent topology and descent wavelet', () => {
  // Two basins of different depth on a 16 × 16 grid (as in grid-commands.test.ts).
  const grid = Array.from({ length: 16 }, (_, i) =>
    Array.from({ length: 16 }, (_, j) => -Math.exp(-((i - 4) ** 2 + (j - 4) ** 2) / 6) - 0.5 * Math.exp(-((i - 11) ** 2 + (j - 11) ** 2) / 6)),
  );
  /**
   * The report without what may differ between two builds: its "Generated <time>" line, and the
   * ids Vega numbers from a counter per process (clip paths, gradients).
   */
  const body = (file: string) =>
    readFileSync(file, 'utf8')
      .replace(/<p class="meta">Generated [^<]*<\/p>/, '')
      .replace(/(clip|gradient_)\d+/g, '$1#');
  /** Where two reports first differ (with some context either side), or null when they are the same. */
  const firstDifference = (a: string, b: string): string | null => {
    if (a === b) return null;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return `at ${i}: …${a.slice(Math.max(0, i - 120), i + 80)}… vs …${b.slice(Math.max(0, i - 120), i + 80)}…`;
  };

  /** Runs the command with --out, then rebuilds the report from the folder alone and compares. */
  async function rebuilds(command: string[], out: string, kind: string): Promise<string> {
    const made = await run([...command, '--out', out]);
    expect(made.code, made.stderr).toBe(0);
    const original = body(join(out, 'report.html'));
    rmSync(join(out, 'report.html'));
    const r = await run(['report', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind, report: join(out, 'report.html') });
    const rebuilt = body(join(out, 'report.html'));
    expect(firstDifference(rebuilt, original)).toBeNull();
    return rebuilt;
  }

  it('rebuilds a topology folder\'s report from diagram.json: the same report the command wrote', async () => {
    writeFileSync(join(root, 'basins.json'), JSON.stringify(grid));
    const out = join(root, 'topology');
    const html = await rebuilds(['topology', join(root, 'basins.json'), '--threshold', '0.1'], out, 'topology');
    for (const title of ['Persistence diagram', 'Barcode', 'Betti curves']) expect(html).toContain(`aria-label="${title}"`);
    expect(html).toContain('descent topology — ');
    expect(html).toContain('&quot;threshold&quot;: 0.1');
    // --out elsewhere: the links point back into the folder.
    const elsewhere = join(root, 'topology-copy.html');
    expect((await run(['report', out, '--out', elsewhere])).code).toBe(0);
    expect(readFileSync(elsewhere, 'utf8')).toContain('href="topology/diagram.json"');
    // A diagram.json that is not the command's is a usage error, not a crash.
    mkdirSync(join(root, 'bad-topology'), { recursive: true });
    writeFileSync(join(root, 'bad-topology', 'diagram.json'), JSON.stringify({ pairs: [] }));
    const bad = await run(['report', join(root, 'bad-topology')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a diagram\.json of `descent topology --out`/);
  });

  it('rebuilds a wavelet folder\'s report (grid with --cwt, and a 1-D series) from multiscale.json and cwt.json', async () => {
    writeFileSync(join(root, 'surface.json'), JSON.stringify(grid));
    const gridHtml = await rebuilds(['wavelet', join(root, 'surface.json'), '--level', '2', '--cwt', 'mexh', '--scales', '1:6', '--profile', 'col:4'], join(root, 'wavelet'), 'wavelet');
    expect(gridHtml).toContain('aria-label="Wavelet coefficients per level (haar)"');
    expect(gridHtml).toContain('aria-label="Scalogram (mexh) of column 4 (x = 4)"');
    expect(gridHtml).toContain('aria-label="Detail magnitude, level 2"');
    expect(gridHtml).toContain('16 × 16');
    writeFileSync(join(root, 'series.csv'), Array.from({ length: 64 }, (_, t) => Math.sin((2 * Math.PI * t) / 16)).join(','));
    const seriesHtml = await rebuilds(['wavelet', join(root, 'series.csv'), '--scales', '2:32:9'], join(root, 'cwt'), 'wavelet');
    expect(seriesHtml).toContain('aria-label="Scalogram (morl) of series.csv"');
    expect(seriesHtml).toContain('(geometric)');
    expect(seriesHtml).not.toContain('Energy per scale');
  });
});
