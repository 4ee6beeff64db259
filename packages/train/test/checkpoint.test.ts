import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCheckpoints, pickCheckpointEntry } from '@descent/train';

describe('listCheckpoints and pickCheckpointEntry', () => {
  it('lists epoch-NNNN folders with meta.json in epoch order, and picks latest, first or an epoch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-checkpoints-'));
    for (const name of ['epoch-0010', 'epoch-0002', 'epoch-12345', 'epoch-0003', 'epoch-7', 'other']) {
      mkdirSync(join(dir, name));
      // epoch-0003 is half-written (no meta.json) and epoch-7 has too few digits: neither counts.
      if (name !== 'epoch-0003') writeFileSync(join(dir, name, 'meta.json'), '{}');
    }
    writeFileSync(join(dir, 'latest'), 'epoch-12345');
    const list = listCheckpoints(dir);
    expect(list.map((c) => c.epoch)).toEqual([2, 10, 12345]);
    expect(list[0].path).toBe(join(dir, 'epoch-0002'));
    expect(pickCheckpointEntry(list)?.epoch).toBe(12345);
    expect(pickCheckpointEntry(list, 'first')?.epoch).toBe(2);
    expect(pickCheckpointEntry(list, 10)?.path).toBe(join(dir, 'epoch-0010'));
    expect(pickCheckpointEntry(list, 3)).toBeUndefined();
    expect(listCheckpoints(join(dir, 'missing'))).toEqual([]);
    expect(pickCheckpointEntry([], 'latest')).toBeUndefined();
  });
});
