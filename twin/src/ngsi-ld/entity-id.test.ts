import { describe, expect, it } from 'vitest';
import { entityId, isUri, parseEntityId } from './entity-id.ts';

describe('entity ids', () => {
  it('are urn:ngsi-ld URNs with the number percent-encoded, and read back either way', () => {
    const id = entityId('WasteContainer', 'СМ-03-00417');
    expect(id).toBe('urn:ngsi-ld:WasteContainer:%D0%A1%D0%9C-03-00417');
    expect(parseEntityId(id)).toEqual({ type: 'WasteContainer', number: 'СМ-03-00417' });
    expect(parseEntityId('urn:ngsi-ld:WasteContainer:СМ-03-00417')).toEqual({
      type: 'WasteContainer',
      number: 'СМ-03-00417',
    });
    // A number of a city's own with characters a URN must encode.
    expect(parseEntityId(entityId('Streetlight', 'A 1/2:b'))).toEqual({ type: 'Streetlight', number: 'A 1/2:b' });
  });

  it('tell URIs from other text, and ids of another form from this API', () => {
    expect(isUri('urn:ngsi-ld:WasteContainer:x')).toBe(true);
    expect(isUri('https://example.org/e/1')).toBe(true);
    expect(isUri('СМ-03-00417')).toBe(false);
    expect(isUri('not a uri')).toBe(false);
    expect(parseEntityId('https://example.org/e/1')).toBeUndefined();
    expect(parseEntityId('urn:ngsi-ld:WasteContainer:%E0%A4%A')).toEqual({
      type: 'WasteContainer',
      number: '%E0%A4%A',
    });
  });
});
