import { statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidParameterError } from '@descent/tensor';
import { DatasetError } from './errors';
import { embeddedDataDir } from './package-dir';

/** Where a data set was found. */
export type DataSourceKind = 'explicit' | 'env' | 'debian' | 'embedded';

/** The places looked at, in this order. */
export const SOURCE_KINDS: readonly DataSourceKind[] = ['explicit', 'env', 'debian', 'embedded'];

/** Which location a load used, and a sentence saying so (print it in logs and reports). */
export interface DataSource {
  kind: DataSourceKind;
  dir: string;
  note: string;
}

/** A data root holding one sub-directory per data set (fashion-mnist/, mnist/, cifar-10-batches-bin/, ...). */
export const DATA_ENV = 'DESCENT_DATA';

/** Where Debian's package dataset-fashion-mnist installs the four .gz files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface Candidate {
  kind: DataSourceKind;
  dir: string;
}

export interface SearchPlan {
  /** The caller's `dir` option: looked at itself, then its data-set sub-directories. */
  explicit?: string;
  /** Sub-directory names of this data set under a data root, e.g. ['fashion-mnist', 'FashionMNIST/raw']. */
  subdirs: readonly string[];
  debian?: string;
  embedded?: boolean;
  /** Restricts the search to these kinds (order stays that of SOURCE_KINDS). */
  sources?: readonly DataSourceKind[];
}

/** The candidate directories in search order, plus a line per place for messages (including places skipped). */
export function candidates(plan: SearchPlan): { list: Candidate[]; searched: string[] } {
  const sources = plan.sources ?? SOURCE_KINDS;
  if (!Array.isArray(sources) || sources.length === 0 || sources.some((s) => !SOURCE_KINDS.includes(s))) {
    throw new InvalidParameterError('sources', sources, `a non-empty array of ${SOURCE_KINDS.map((s) => `'${s}'`).join(', ')}`);
  }
  if (plan.explicit !== undefined && (typeof plan.explicit !== 'string' || plan.explicit === '')) {
    throw new InvalidParameterError('dir', plan.explicit, 'a directory path (non-empty string)');
  }
  const list: Candidate[] = [];
  const searched: string[] = [];
  const add = (kind: DataSourceKind, dir: string, why: string) => {
    list.push({ kind, dir });
    searched.push(`${dir} (${why})`);
  };
  if (sources.includes('explicit')) {
    if (plan.explicit === undefined) searched.push('(no dir option given)');
    else for (const d of ['', ...plan.subdirs]) add('explicit', join(plan.explicit, d), 'dir option');
  }
  if (sources.includes('env')) {
    const root = process.env[DATA_ENV];
    if (!root) searched.push(`(${DATA_ENV} not set)`);
    else for (const d of plan.subdirs) add('env', join(root, d), `$${DATA_ENV}`);
  }
  if (sources.includes('debian') && plan.debian) add('debian', plan.debian, 'Debian package location');
  if (sources.includes('embedded') && plan.embedded) {
    const dir = embeddedDataDir();
    if (dir === undefined) searched.push('(embedded copy: the @descent/datasets package directory could not be located)');
    else add('embedded', dir, 'embedded copy in @descent/datasets, test split only');
  }
  return { list, searched };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `dir/name` if it exists, else `dir/name.gz`, else undefined. */
export function findFile(dir: string, name: string): string | undefined {
  for (const file of [join(dir, name), join(dir, `${name}.gz`)]) if (isFile(file)) return file;
  return undefined;
}

/**
 * The first candidate holding every one of `names` (raw or .gz). A directory holding some but not
 * all of them is an error, not a reason to move on: a half-copied data set should be noticed.
 */
export function locate(list: readonly Candidate[], names: readonly string[]): { candidate: Candidate; files: string[] } | undefined {
  for (const candidate of list) {
    const found = names.map((n) => findFile(candidate.dir, n));
    if (found.every((f): f is string => f !== undefined)) return { candidate, files: found };
    if (found.some((f) => f !== undefined)) {
      const missing = names.filter((_, i) => found[i] === undefined);
      throw new DatasetError(
        'DATA_NOT_FOUND',
        `${candidate.dir} holds only part of the data set: missing ${missing.join(', ')} (raw or .gz). ` + `Expected all of: ${names.join(', ')}.`,
        { file: join(candidate.dir, missing[0]), searched: [candidate.dir] },
      );
    }
  }
  return undefined;
}

/** The "nothing found" error: names the files expected and every place searched, in order. */
export function notFound(dataset: string, names: readonly string[], searched: readonly string[], hint: string): DatasetError {
  return new DatasetError(
    'DATA_NOT_FOUND',
    `${dataset}: none of the places searched holds ${names.join(', ')} (raw or .gz).\n` +
      `Searched, in order:\n${searched.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n${hint}`,
    { searched },
  );
}
