// Loads study.yaml (checked against the schema the plugins contribute), runs it into a fresh
// folder, and prints what each step produced.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPipelineConfig, runPipeline, analysisLine } from '@descent/pipeline';
import { adam } from '@descent/optim-adam';
import { kaimingNormalPlugin } from '@descent/init-kaiming';

const here = import.meta.dirname;
const plugins = [adam, kaimingNormalPlugin];
const config = await loadPipelineConfig(join(here, 'study.yaml'), { plugins });
const outDir = mkdtempSync(join(tmpdir(), 'descent-example-'));

const result = await runPipeline(config, { outDir, plugins, log: (line) => console.log(`  ${line}`) });
const last = result.epochs.at(-1);
console.log(`epoch ${last.epoch}: train loss ${last.trainLoss.toFixed(4)}, test accuracy ${(100 * last.testAccuracy).toFixed(1)} %`);
for (const a of config.analyses) console.log(analysisLine({ analysis: a.id, name: a.name ?? a.id, result: result.analyses[a.name ?? a.id] }));
console.log(`pipeline ${result.status} in ${result.seconds.toFixed(1)} s; run folder ${outDir}`);
process.exit(result.status === 'completed' ? 0 : 1);
