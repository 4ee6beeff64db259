import { createRequire } from 'node:module';
import { tf } from '@descent/tensor';

/** The Descent packages a report names (those that are installed). */
const PACKAGES = [
  '@descent/cli',
  '@descent/pipeline',
  '@descent/tensor',
  '@descent/train',
  '@descent/report',
  '@descent/spectrum',
  '@descent/hessian',
  '@descent/landscape',
  '@descent/topology',
  '@descent/wavelet',
  '@descent/models',
  '@descent/datasets',
];

// A require() resolving from this file: `__filename` in the CommonJS build, the module URL in ESM.
// (A bare `require` would be bundled into a shim that throws.)
const load = (id: string): unknown => createRequire(typeof __filename === 'string' ? __filename : import.meta.url)(id);

function packageVersion(name: string): string | undefined {
  try {
    return (load(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * What a report lists under "Versions": the Descent packages that are installed, TensorFlow.js,
 * the compute backend the run used (when given) and Node. One implementation for the pipeline's
 * and the CLI's reports.
 */
export function reportVersions(backend?: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PACKAGES) {
    const v = packageVersion(name);
    if (v) out[name] = v;
  }
  out['TensorFlow.js'] = tf.version_core;
  if (backend) out['tfjs backend'] = backend;
  out.node = process.version;
  out.platform = `${process.platform} ${process.arch}`;
  return out;
}
