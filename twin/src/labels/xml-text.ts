const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Whether XML 1.0 allows the code point at all, even escaped: not C0 controls other than tab and
 * line breaks, U+FFFE/U+FFFF or unpaired surrogates. An imported address may hold one, and one
 * makes a whole sheet an unreadable document.
 */
const isXmlChar = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  code >= 0x10000;

/** `text` as XML (and HTML) character data or a quoted attribute value: markup escaped, forbidden characters dropped. */
export function escapeXml(text: string): string {
  let out = '';
  // By code point: a surrogate pair is one, an unpaired surrogate is one on its own.
  for (const ch of text) {
    if (isXmlChar(ch.codePointAt(0) as number)) out += ENTITIES[ch] ?? ch;
  }
  return out;
}
