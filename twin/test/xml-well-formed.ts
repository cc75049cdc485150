/**
 * The first reason `doc` is not a well-formed XML document, or undefined: one root element,
 * tags nested and closed, attributes quoted and not repeated, `&` only in entity references,
 * no `<` in text or attribute values. Enough to check the documents the twin writes itself
 * (no DTDs, CDATA or namespaces checked) without an XML parser dependency.
 */
export function xmlProblem(doc: string): string | undefined {
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<[^>]*>?|[^<]+/g;
  const name = '[A-Za-z_][\\w:.-]*';
  const attribute = new RegExp(`\\s+(${name})\\s*=\\s*("[^"<]*"|'[^'<]*')`, 'g');
  const open = new RegExp(`^<(${name})((?:\\s+${name}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>$`);
  const close = new RegExp(`^</(${name})\\s*>$`);
  const badAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
  const stack: string[] = [];
  let roots = 0;
  for (const [t] of doc.matchAll(token)) {
    if (t.startsWith('<!--') || t.startsWith('<?')) continue;
    if (!t.startsWith('<')) {
      if (stack.length === 0 && t.trim() !== '') return `text outside the root: ${t.slice(0, 40)}`;
      if (badAmpersand.test(t)) return `bare & in text: ${t.slice(0, 40)}`;
      continue;
    }
    const end = close.exec(t);
    if (end) {
      const expected = stack.pop();
      if (expected !== end[1]) return `</${end[1]}> closes <${expected}>`;
      continue;
    }
    const start = open.exec(t);
    if (!start) return `malformed tag: ${t.slice(0, 80)}`;
    const seen = new Set<string>();
    for (const [, attr, value] of (start[2] ?? '').matchAll(attribute)) {
      if (seen.has(attr as string)) return `attribute ${attr} twice in <${start[1]}>`;
      seen.add(attr as string);
      if (badAmpersand.test(value as string)) return `bare & in attribute ${attr}`;
    }
    if (stack.length === 0 && ++roots > 1) return 'more than one root element';
    if (start[3] !== '/') stack.push(start[1] as string);
  }
  if (stack.length > 0) return `<${stack.at(-1)}> not closed`;
  return roots === 1 ? undefined : 'no root element';
}
