/** Test helpers that read rendered SVG without a DOM. */

/** Throws unless `xml` is one well-formed element tree (tags balanced, attributes quoted, & escaped). */
export function assertWellFormed(xml: string, root = 'svg'): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<\?xml[^>]*\?>|</g;
  let last = 0;
  let first: string | undefined;
  for (const m of xml.matchAll(tag)) {
    const text = xml.slice(last, m.index);
    if (/&(?!(?:[a-zA-Z]+|#\d+|#x[\da-fA-F]+);)/.test(text))
      throw new Error(`unescaped & in text near ${JSON.stringify(text.slice(0, 60))}`);
    last = m.index + m[0].length;
    if (m[0] === '<') throw new Error(`malformed tag at ${m.index}: ${JSON.stringify(xml.slice(m.index, m.index + 60))}`);
    if (!m[2]) continue; // comment, doctype, declaration
    if (m[1]) {
      const open = stack.pop();
      if (open !== m[2]) throw new Error(`</${m[2]}> closes <${open}> at ${m.index}`);
    } else {
      first ??= m[2];
      if (!m[4]) stack.push(m[2]);
    }
    if (stack.length === 0 && m[1] && last < xml.trimEnd().length) throw new Error(`content after the root element at ${last}`);
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (first !== root) throw new Error(`root element is <${first}>, expected <${root}>`);
}

/** Number of data marks of a kind ('point', 'line mark', 'bar', 'rect mark') in a Vega SVG. */
export function countMarks(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}

/** The text content of every <text> element. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** Stroke/fill colours of the line marks, in order. */
export function lineColors(svg: string): string[] {
  return [...svg.matchAll(/aria-roledescription="line mark"[^>]*?stroke="([^"]+)"/g)].map((m) => m[1]);
}
