import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@descent/datasets';

function isOurPackageJson(file: string): boolean {
  try {
    return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/**
 * The directory of the installed @descent/datasets package, or undefined. Walks up from this
 * module's file (src/ under vitest, dist/ in the ESM and CJS builds — the CJS build gets
 * import.meta.url from tsup's shim), then asks Node's resolver, which still works when this code
 * was bundled into another package's file.
 */
export function packageDir(moduleUrl: string = import.meta.url): string | undefined {
  let here: string;
  try {
    here = fileURLToPath(moduleUrl);
  } catch {
    return undefined;
  }
  for (let dir = dirname(here); ; dir = dirname(dir)) {
    if (isOurPackageJson(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) break;
  }
  try {
    const file = createRequire(here).resolve(`${PACKAGE_NAME}/package.json`);
    return isOurPackageJson(file) ? dirname(file) : undefined;
  } catch {
    return undefined;
  }
}

/** Where the embedded FashionMNIST test split lives: `<package>/data`. */
export function embeddedDataDir(): string | undefined {
  const dir = packageDir();
  return dir === undefined ? undefined : join(dir, 'data');
}
