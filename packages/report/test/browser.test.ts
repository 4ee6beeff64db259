import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import {
  bars,
  barcode,
  bettiCurves,
  contour,
  heatmap,
  histogram,
  htmlReport,
  lineChart,
  metricsPanels,
  persistenceDiagram,
  scalogram,
  scatter,
  surface3d,
  table,
  waveletCoefficientMaps,
  writeReport,
} from '@descent/report';

// A generated report opened in a real browser: Debian's chromium, driven by playwright-core
// (which downloads nothing). CI installs chromium (.ci/run); without it the test fails there, and
// is skipped on a developer's machine (CI unset).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
const SHOTS = process.env.DESCENT_SCREENSHOTS ?? join(tmpdir(), 'descent-report-screenshots');

/** The canvas as the page sees it (the repository's TypeScript setup has no DOM library). */
interface PageCanvas {
  width: number;
  height: number;
  dataset: Record<string, string | undefined>;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
  toDataURL(): string;
}

const epochs = [1, 2, 3, 4, 5, 6];
const runs = ['SGD', 'Adam'].map((name, k) => ({
  name,
  records: epochs.map((epoch) => ({
    epoch,
    trainLoss: (1.2 - 0.3 * k) / epoch,
    testLoss: (1.3 - 0.3 * k) / epoch + 0.02 * epoch,
    testAccuracy: 0.6 + 0.05 * epoch + 0.02 * k,
    gradNorm: 2 / Math.sqrt(epoch) + k,
  })),
}));
const axis = Array.from({ length: 31 }, (_, i) => -1 + i / 15);
// Two wells of different depth: a surface with some structure to look at.
const well = axis.map((y) => axis.map((x) => 0.3 + x * x + 0.5 * y * y - 0.25 * Math.exp(-((x - 0.5) ** 2 + (y + 0.4) ** 2) / 0.05)));
const path = [[-0.9, 0.8], [-0.5, 0.45], [-0.1, 0.2], [0.05, 0.05], [0, 0]].map(([x, y], i) => ({ x, y, group: 'Adam', label: `step ${i}` }));

const pairs = [
  { dimension: 0, birth: 0, death: null },
  { dimension: 0, birth: 0.1, death: 0.45 },
  { dimension: 0, birth: 0.2, death: 0.3 },
  { dimension: 1, birth: 0.5, death: 0.8 },
  { dimension: 1, birth: 0.6, death: 0.65 },
];
const levels = Array.from({ length: 21 }, (_, i) => i / 20);
/** A row-major matrix of f(r, c). */
const matrix = (rows: number, cols: number, f: (r: number, c: number) => number) => ({ rows, cols, data: Float64Array.from({ length: rows * cols }, (_, i) => f(Math.floor(i / cols), i % cols)) });

async function buildReport(dir: string): Promise<{ file: string; expectedFigures: number }> {
  const sections = [
    {
      heading: 'Training',
      plots: [
        metricsPanels(runs as never),
        lineChart({ title: 'Test loss', x: { field: 'epoch' }, y: { field: 'testLoss', title: 'test loss', scale: 'log' }, series: { field: 'run' }, data: runs.flatMap((r) => r.records.map((e) => ({ ...e, run: r.name }))) }),
      ],
      tableHtml: table(runs.map((r) => ({ run: r.name, 'final test accuracy': r.records.at(-1)!.testAccuracy })), ['run', { key: 'final test accuracy', format: 'percent' }]),
    },
    {
      heading: 'Landscape',
      plots: [
        contour({ title: 'Loss surface (contour)', grid: well, x: axis, y: axis, xTitle: 'λ₁', yTitle: 'λ₂', valueTitle: 'loss', paths: path }),
        heatmap({ title: 'Loss surface (heatmap, log colour)', grid: well, x: axis, y: axis, valueTitle: 'loss', scale: 'log' }),
      ],
      surfaces3d: [surface3d({ title: 'Loss surface (3-D)', subtitle: 'drag to rotate', grid: well, x: axis, y: axis, xTitle: 'λ₁', yTitle: 'λ₂', valueTitle: 'loss' })],
    },
    {
      heading: 'Trajectories and spectra',
      plots: [
        scatter({ title: 'Trajectory (PCA)', points: path, path: true, x: { title: 'PC 1' }, y: { title: 'PC 2' } }),
        bars({ title: 'Top Hessian eigenvalues', bars: [1, 2, 3, 4].flatMap((i) => ['SGD', 'Adam'].map((group, k) => ({ label: `λ${i}`, group, value: (5 - i) * (1 + k) }))) }),
        histogram({ title: 'Weights at initialisation', values: { kaiming: axis.map((v) => v * 0.8), xavier: axis.map((v) => v * 0.5) }, bins: 12 }),
      ],
    },
    {
      heading: 'Topology and wavelets',
      plots: [
        persistenceDiagram({ title: 'Persistence diagram', pairs }),
        barcode({ title: 'Barcode', pairs }),
        bettiCurves({ title: 'Betti curves', curves: [0, 1].map((dimension) => ({ dimension, grid: levels, values: levels.map((t) => pairs.filter((p) => p.dimension === dimension && p.birth <= t && (p.death === null || t < p.death)).length) })) }),
        waveletCoefficientMaps({
          title: 'Wavelet coefficients',
          approximation: matrix(8, 8, (r, c) => Math.sin(r / 2) + Math.cos(c / 3)),
          details: [1, 2].map((level) => ({ level, horizontal: matrix(16 / level, 16 / level, (r) => Math.sin(r * level)), vertical: matrix(16 / level, 16 / level, (_, c) => Math.cos(c * level)), diagonal: matrix(16 / level, 16 / level, (r, c) => Math.sin(r + c)) })),
        }),
        scalogram({ title: 'Scalogram', re: matrix(6, 40, (r, c) => Math.sin(c / (r + 1))), scales: [1, 2, 4, 8, 16, 32] }),
      ],
    },
  ];
  const expectedFigures = sections.reduce((n, s) => n + s.plots.length + (s.surfaces3d?.length ?? 0), 0);
  const html = await htmlReport({
    title: 'Browser test — every plot kind',
    summary: { dataset: 'synthetic', runs: 2, 'best test accuracy': 0.92 },
    sections,
    config: { optimizers: ['sgd', 'adam'], epochs: 6 },
    versions: { '@descent/report': '0.1.0', node: process.version },
    links: [{ href: 'results.jsonl', label: 'results.jsonl' }],
  });
  writeFileSync(join(dir, 'results.jsonl'), '{}\n');
  const file = join(dir, 'report.html');
  await writeReport(file, html);
  return { file, expectedFigures };
}

describe.skipIf(missing && !process.env.CI)('the report in headless Chromium', () => {
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'descent-browser-'));
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens offline with no errors, every figure drawn, and the 3-D surface rotates', { timeout: 180_000 }, async () => {
    if (missing) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
    const { file, expectedFigures } = await buildReport(dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // Every figure: an SVG with drawn marks and a real size, or a canvas with non-white pixels.
    const figures = await page.$$eval('figure', (list) =>
      list.map((f) => {
        const svg = f.querySelector('svg');
        const canvas = f.querySelector('canvas');
        let inked = 0;
        if (canvas) {
          const c = canvas as unknown as PageCanvas;
          const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < px.length; i += 4) if (px[i] < 245 || px[i + 1] < 245 || px[i + 2] < 245) inked++;
          inked /= c.width * c.height;
        }
        const box = (svg ?? canvas)?.getBoundingClientRect();
        return {
          id: f.id,
          label: f.getAttribute('aria-label'),
          kind: svg ? 'svg' : canvas ? 'canvas' : 'none',
          marks: svg ? svg.querySelectorAll('path, rect, line, circle').length : 0,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          inked,
        };
      }),
    );
    expect(figures).toHaveLength(expectedFigures);
    for (const f of figures) {
      expect(f.kind, `${f.id} ${f.label}`).not.toBe('none');
      expect(f.width, `${f.id} ${f.label} width`).toBeGreaterThan(100);
      expect(f.height, `${f.id} ${f.label} height`).toBeGreaterThan(100);
      if (f.kind === 'svg') expect(f.marks, `${f.id} ${f.label} marks`).toBeGreaterThan(5);
      else expect(f.inked, `${f.id} ${f.label} share of drawn pixels`).toBeGreaterThan(0.1);
    }
    // The summary, configuration, versions and links made it onto the page.
    await expect(page.locator('section.summary').innerText()).resolves.toContain('best test accuracy');
    await expect(page.locator('#configuration pre').innerText()).resolves.toContain('"epochs": 6');
    await expect(page.locator('footer').innerText()).resolves.toContain(process.version);
    expect(await page.locator('footer a[href="results.jsonl"]').count()).toBe(1);

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'report-full.png'), fullPage: true });

    // Rotate the 3-D surface: drag across it, then the arrow keys.
    const canvas = page.locator('figure.surface3d canvas');
    await canvas.scrollIntoViewIfNeeded();
    const pixels = () => canvas.evaluate((c) => (c as unknown as PageCanvas).toDataURL());
    const state = () => canvas.evaluate((e) => {
        const c = e as unknown as PageCanvas;
        return { yaw: Number(c.dataset.yaw), pitch: Number(c.dataset.pitch), draws: Number(c.dataset.draws) };
      });
    const before = await state();
    const beforePixels = await pixels();
    await canvas.screenshot({ path: join(SHOTS, 'surface3d-before.png') });
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 40, { steps: 10 });
    await page.mouse.up();
    const dragged = await state();
    expect(dragged.yaw).toBeCloseTo(before.yaw + 1.5, 1);
    expect(dragged.pitch).toBeCloseTo(before.pitch + 0.4, 1);
    expect(dragged.draws).toBeGreaterThan(before.draws);
    expect(await pixels()).not.toBe(beforePixels);
    await canvas.screenshot({ path: join(SHOTS, 'surface3d-dragged.png') });
    await canvas.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    const keyed = await state();
    expect(keyed.yaw).toBeCloseTo(dragged.yaw - 0.1, 3);
    expect(keyed.pitch).toBeCloseTo(dragged.pitch - 0.1, 3);

    const figureShots = page.locator('figure');
    for (let i = 0; i < (await figureShots.count()); i++) await figureShots.nth(i).screenshot({ path: join(SHOTS, `figure-${i + 1}.png`) });

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
