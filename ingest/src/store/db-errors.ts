/**
 * SQLSTATE classes of errors the written data causes, not the connection: 22 data exception
 * (a value out of range, NUL in text, a bad time), 23 integrity constraint violation, 54 program
 * limit exceeded (a row too big). Writing the same rows again fails the same way, so a batch
 * refused for one of these is split rather than retried; anything else (no code, class 08
 * connection exception, 57 operator intervention, 53 insufficient resources) is retried.
 */
const DATA_ERROR_CLASSES = new Set(['22', '23', '54']);

export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DATA_ERROR_CLASSES.has(code.slice(0, 2));
}
