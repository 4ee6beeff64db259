import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// These run the built command as a user would (`npm run build` first).
const bin = resolve(import.meta.dirname, '../bin/descent.js');

function descent(args: string[], cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, DESCENT_BACKEND: 'cpu' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const STUDY = `# yaml-language-server: $schema=./descent.schema.json
name: tiny
data: { id: synthetic, config: { trainSize: 64, testSize: 32, shape: [4, 4, 1] } }
model: { id: simple-mlp, config: { hiddenSizes: [8] } }
init: { id: kaiming-normal }
optimizer:
  id: sgd
  config: { lr: 0.1, momentum: 0.9 }
  schedule: { id: cosine }
training: { epochs: 2, batchSize: 16 }
analyses:
  - { id: spectrum }
  - { id: hessian, config: { top: 1, maxIterations: 5, samples: 32 } }
  - { id: landscape, config: { grid: 5, samples: 32 } }
  - { id: topology }
  - { id: wavelet, config: { level: 1 } }
`;

describe('descent run and descent schema (built command)', () => {
  it('runs a YAML study end to end into the descent train layout, and skips it when run again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-run-'));
    writeFileSync(join(dir, 'study.yaml'), STUDY);
    const r = await descent(['run', 'study.yaml', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: 'completed', out: join(dir, 'runs', 'tiny'), skipped: false, ranAnalyses: ['spectrum', 'hessian', 'landscape', 'topology', 'wavelet'] });
    expect(out.epochs).toHaveLength(2);
    for (const f of ['config.json', 'results.csv', 'summary.json', 'report.html', 'checkpoints/latest', 'analyses/hessian.json', 'analyses/landscape-surface.json', 'analyses/wavelet.json']) expect(existsSync(join(out.out, f)), f).toBe(true);
    const again = await descent(['run', 'study.yaml'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/completed \(finished earlier, skipped\)/);
    expect(again.stdout).toMatch(/hessian: top eigenvalues/);
  });

  it('runs a JSON sweep, one folder per run, with a manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-sweep-'));
    const study = { data: { id: 'synthetic', config: { trainSize: 32, testSize: 16, shape: [2, 2, 1] } }, model: { id: 'simple-mlp', config: { hiddenSizes: [4] } }, optimizer: { id: 'adam', config: { lr: 0.01 } }, training: { epochs: 1, batchSize: 16 }, sweep: { grid: { optimizer: ['adam', 'lion'], seed: [0, 1] } } };
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(study));
    const r = await descent(['run', 'sweep.json', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sweep completed: 4 of 4 runs completed/);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'sweep.json'), 'utf8'));
    expect(manifest.runs.map((x: { name: string }) => x.name)).toEqual(['optimizer=adam_seed=0', 'optimizer=adam_seed=1', 'optimizer=lion_seed=0', 'optimizer=lion_seed=1']);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'runs', 'optimizer=lion_seed=1', 'config.json'), 'utf8')).optimizer).toMatchObject({ id: 'lion', config: expect.objectContaining({ lr: 0.01 }) });
  });

  it('a sweep killed midway (SIGKILL) resumes without redoing finished runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-sweep-kill-'));
    const study = { data: { id: 'synthetic', config: { trainSize: 512, testSize: 64 } }, model: { id: 'simple-mlp', config: { hiddenSizes: [32] } }, optimizer: { id: 'sgd', config: { lr: 0.05 } }, training: { epochs: 3, batchSize: 32 }, sweep: { grid: { seed: [0, 1, 2] } } };
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(study));
    // Killed as soon as the second run starts: no handler runs, the manifest says "running".
    const killed = await new Promise<{ signal: string | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [bin, 'run', 'sweep.json', '--out', 'out'], { cwd: dir, env: { ...process.env, DESCENT_BACKEND: 'cpu' } });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('run seed=1')) child.kill('SIGKILL');
      });
      child.on('close', (_code, signal) => done({ signal, stderr }));
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const first = join(dir, 'out', 'runs', 'seed=0');
    expect(JSON.parse(readFileSync(join(first, 'summary.json'), 'utf8')).status).toBe('completed');
    const files = ['summary.json', 'results.jsonl', 'pipeline.json', 'checkpoints/latest'];
    const mtimes = files.map((f) => statSync(join(first, f)).mtimeMs);
    const r = await descent(['run', 'sweep.json', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('run seed=0: finished earlier, skipped');
    expect(r.stderr).not.toMatch(/^run seed=0$/m);
    expect(r.stdout).toMatch(/sweep completed: 3 of 3 runs completed \(1 skipped as finished\)/);
    expect(files.map((f) => statSync(join(first, f)).mtimeMs)).toEqual(mtimes);
  });

  it('rejects a typo\'d key with exit code 2 and its path and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-run-typo-'));
    writeFileSync(join(dir, 'study.yaml'), STUDY.replace('momentum: 0.9', 'momentun: 0.9'));
    const r = await descent(['run', 'study.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/study\.yaml:8: .*"optimizer\.config\.momentun".*known keys: .*momentum/);
    expect(existsSync(join(dir, 'runs'))).toBe(false);
    const json = await descent(['run', 'study.yaml', '--json'], dir);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({ name: 'ConfigError', message: expect.stringContaining('optimizer.config.momentun') });
    expect((await descent(['run'], dir)).code).toBe(2);
  });

  it('prints the JSON Schema, with each plugin config chosen by id', async () => {
    const r = await descent(['schema']);
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/draft-07/);
    expect(schema.properties.optimizer.properties.id.enum).toEqual(expect.arrayContaining(['adam', 'sgd', 'lion']));
    const sgd = schema.properties.optimizer.allOf.find((b: any) => b.if.properties.id.const === 'sgd');
    expect(Object.keys(sgd.then.properties.config.properties)).toEqual(expect.arrayContaining(['lr', 'momentum', 'nesterov']));
    const dir = mkdtempSync(join(tmpdir(), 'descent-schema-'));
    expect((await descent(['schema', '--out', 'descent.schema.json'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'descent.schema.json'), 'utf8'))).toEqual(schema);
  });
});
