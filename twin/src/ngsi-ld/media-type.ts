import { JSON_LD_CONTEXT_REL, type NgsiLdMediaType } from '../contract/ngsi-ld.ts';

/**
 * Accept negotiation as NGSI-LD 6.3.4 has it for a GET: application/json or application/ld+json,
 * by the Accept header's quality values (RFC 9110 12.5.1: a type's most specific range sets its
 * q); a tie, a missing Accept and the any-type range go to application/json, which NGSI-LD
 * prefers. Undefined when the header accepts neither: a 406.
 */
export function negotiate(accept: string | undefined): NgsiLdMediaType | undefined {
  if (accept === undefined || accept.trim() === '') return 'application/json';
  const best = { 'application/json': { specificity: 0, q: 0 }, 'application/ld+json': { specificity: 0, q: 0 } };
  for (const range of accept.split(',')) {
    const [mediaRange = '', ...params] = range.split(';').map((part) => part.trim());
    const type = mediaRange.toLowerCase();
    const q = quality(params);
    for (const candidate of ['application/json', 'application/ld+json'] as const) {
      const specificity = type === candidate ? 3 : type === 'application/*' ? 2 : type === '*/*' ? 1 : 0;
      if (specificity > best[candidate].specificity) best[candidate] = { specificity, q };
    }
  }
  const json = best['application/json'].q;
  const jsonLd = best['application/ld+json'].q;
  if (json === 0 && jsonLd === 0) return undefined;
  return jsonLd > json ? 'application/ld+json' : 'application/json';
}

/** A range's `q` parameter, 1 without one; a malformed one counts as 1, as lenient servers read it. */
function quality(params: readonly string[]): number {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=').map((s) => s.trim());
    if (name.toLowerCase() !== 'q') continue;
    const q = Number(value);
    return Number.isFinite(q) && q >= 0 && q <= 1 ? q : 1;
  }
  return 1;
}

/** The Link header that carries an answer's @context when its body is plain JSON (NGSI-LD 6.3.5). */
export function contextLink(context: string): string {
  return `<${context}>; rel="${JSON_LD_CONTEXT_REL}"; type="application/ld+json"`;
}
