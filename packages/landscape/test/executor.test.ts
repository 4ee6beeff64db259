import { describe, it, expect } from 'vitest';
import { InProcessExecutor, registerJobHandler, jobHandler, type JobProgress } from '@descent/landscape';

registerJobHandler('test.square', {
  setup: (shared: { offset: number }) => ({ offset: shared.offset, torn: false }),
  run: (ctx: { offset: number }, job: number) => {
    if (job < 0) throw new Error('negative job');
    return job * job + ctx.offset;
  },
});

describe('executors', () => {
  it('the in-process executor runs every job in order, reports progress, tears down', async () => {
    const ex = new InProcessExecutor();
    const seen: JobProgress[] = [];
    const out = await ex.run<number>({ kind: 'test.square', shared: { offset: 1 }, jobs: [1, 2, 3] }, { onProgress: (p) => seen.push(p) });
    expect(out).toEqual([2, 5, 10]);
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3]);
    expect(seen[2]).toEqual({ kind: 'test.square', done: 3, total: 3 });
    await ex.close();
  });
  it('job errors and aborts reject the run; unknown kinds are refused', async () => {
    const ex = new InProcessExecutor();
    await expect(ex.run({ kind: 'test.square', shared: { offset: 0 }, jobs: [1, -1] })).rejects.toThrow(/negative job/);
    const c = new AbortController();
    c.abort();
    await expect(ex.run({ kind: 'test.square', shared: { offset: 0 }, jobs: [1] }, { signal: c.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(() => jobHandler('nope')).toThrow(/registered job kind/);
    expect(() => registerJobHandler('bad', {} as never)).toThrow(/handler/);
  });
});
