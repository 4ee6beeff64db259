/**
 * A Vega-Lite title whose subtitle is wrapped into lines of about the plot's width, breaking at
 * spaces, so that a long subtitle does not widen the whole figure. Vega without the `canvas`
 * package estimates ~9 px per character of the 12 px subtitle font, hence width / 9 characters.
 */
export function wrappedTitle(text: string, subtitle: string | undefined, width: number): string | { text: string; subtitle: string | string[] } {
  if (subtitle === undefined) return text;
  const max = Math.max(30, Math.floor(width / 9));
  if (subtitle.length <= max) return { text, subtitle };
  const lines: string[] = [];
  let line = '';
  for (const word of subtitle.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return { text, subtitle: lines };
}
