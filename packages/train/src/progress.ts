/** Where progress goes: a redrawn bar on a terminal, one line per epoch otherwise, or nothing. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface ProgressWriter {
  batch(epoch: number, epochs: number, done: number, total: number, loss: number): void;
  epoch(line: string): void;
  message(line: string): void;
  close(): void;
}

export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): ProgressWriter {
  const resolved = mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : mode;
  let last = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    batch(epoch, epochs, done, total, loss) {
      if (resolved !== 'bar') return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 28;
      const filled = Math.round((done / total) * width);
      stream.write(`\r\x1b[2Kepoch ${epoch}/${epochs} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} loss ${loss.toFixed(4)}`);
      drawn = true;
    },
    epoch(line) {
      if (resolved === 'none') return;
      clear();
      stream.write(line + '\n');
    },
    message(line) {
      if (resolved === 'none') return;
      clear();
      stream.write(line + '\n');
    },
    close() {
      clear();
    },
  };
}
