import type { FastifyInstance } from 'fastify';

const ATTRIBUTE = /^attribute\[([^\]]{1,64})\]$/;

/**
 * Reads `application/x-www-form-urlencoded` bodies, as most Open311 clients send them, into the
 * same object a JSON body gives; a key sent twice becomes a list (which the schema refuses).
 * The object has no prototype, so a `__proto__` field is only an unknown field. The route's body
 * limit applies.
 */
export function installFormBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const fields: Record<string, string | string[]> = Object.create(null);
    for (const [key, value] of new URLSearchParams(body as string)) {
      const seen = fields[key];
      fields[key] = seen === undefined ? value : [seen, value].flat();
    }
    done(null, fields);
  });
}

/**
 * Open311 names service attributes `attribute[code]`; in a form they are flat keys, and a JSON
 * body may send them so too or as an `attribute` object. Both become `attribute: {code: value}`.
 */
export function foldAttributes(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const code = ATTRIBUTE.exec(key)?.[1];
    if (code === undefined) continue;
    const existing = fields.attribute;
    // Without a prototype, an attribute named `__proto__` is only an unknown attribute.
    const attribute: Record<string, unknown> = Object.assign(
      Object.create(null),
      typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? existing : {},
    );
    attribute[code] = fields[key];
    fields.attribute = attribute;
    delete fields[key];
  }
}
