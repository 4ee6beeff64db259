import { createRequire } from 'node:module';
import { tf } from '@descent/tensor';

const require = createRequire(import.meta.url);

/** The Descent packages a report names (those that are installed). */
const PACKAGES = ['@descent/cli', '@descent/tensor', '@descent/train', '@descent/report', '@descent/landscape', '@descent/topology', '@descent/wavelet', '@descent/models', '@descent/datasets'];

function packageVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * What a report lists under "Versions": the Descent packages, TensorFlow.js, the compute backend
 * the run used (when it used one) and Node.
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
