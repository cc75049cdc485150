const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a text from an import file cannot be stored as it is, or undefined. PostgreSQL refuses a
 * NUL in text; a lone surrogate (a JSON `\ud800`) would be stored as U+FFFD; and U+FFFD is what
 * the body parser left where the file had bytes that are not UTF-8.
 */
export function textProblem(text: string, maxLength: number): string | undefined {
  if (text.includes('\u0000')) return 'holds a NUL character';
  if (text.includes('\ufffd')) return 'is not valid UTF-8 (holds U+FFFD)';
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode (a lone surrogate)';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return 'holds control characters';
  if (text.length > maxLength) return `is longer than ${maxLength} characters (${text.length})`;
  return undefined;
}

/** A value as a reason may quote it: short, on one line. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
