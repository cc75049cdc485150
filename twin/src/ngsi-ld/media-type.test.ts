import { describe, expect, it } from 'vitest';
import { contextLink, negotiate } from './media-type.ts';

describe('Accept negotiation', () => {
  it('serves JSON by default and on a tie, JSON-LD when asked for it first', () => {
    expect(negotiate(undefined)).toBe('application/json');
    expect(negotiate('')).toBe('application/json');
    expect(negotiate('*/*')).toBe('application/json');
    expect(negotiate('application/*')).toBe('application/json');
    expect(negotiate('application/json')).toBe('application/json');
    expect(negotiate('application/ld+json')).toBe('application/ld+json');
    expect(negotiate('application/json, application/ld+json')).toBe('application/json');
    expect(negotiate('application/ld+json, application/json;q=0.9')).toBe('application/ld+json');
    expect(negotiate('application/ld+json;q=0.5, */*;q=0.1')).toBe('application/ld+json');
    expect(negotiate('Application/LD+JSON; charset=utf-8')).toBe('application/ld+json');
  });

  it('accepts neither when the header excludes both', () => {
    expect(negotiate('text/html')).toBeUndefined();
    expect(negotiate('application/xml, text/csv')).toBeUndefined();
    expect(negotiate('application/json;q=0, application/ld+json;q=0')).toBeUndefined();
    expect(negotiate('*/*;q=0.1, application/json;q=0')).toBe('application/ld+json');
  });

  it('links a JSON body to its @context as JSON-LD says', () => {
    expect(contextLink('https://example.org/context.jsonld')).toBe(
      '<https://example.org/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"',
    );
  });
});
