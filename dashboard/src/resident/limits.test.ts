import {
  LOCATE_MAX_NUMBERS,
  LocateRequest,
  MAX_PHOTO_BYTES,
  NewReport,
  ObjectNumberInput,
  TrackingCodeParams,
} from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import * as limits from './limits.ts';

/** A schema's maxLength (TypeBox keeps JSON Schema's keywords on the object; its types do not name them all). */
const maxLength = (schema: unknown) => (schema as { maxLength?: number }).maxLength;

describe("the resident page's copies of the API's limits", () => {
  it('equal the contract', () => {
    expect(limits.MAX_PHOTO_BYTES).toBe(MAX_PHOTO_BYTES);
    expect(limits.MAX_DESCRIPTION).toBe(maxLength(NewReport.properties.description));
    expect(limits.MAX_CONTACT).toBe(maxLength(NewReport.properties.contact));
    expect(limits.MAX_NUMBER).toBe(maxLength(ObjectNumberInput));
    expect(limits.MAX_LOCATE_NUMBER).toBe(maxLength(LocateRequest.properties.numbers.items));
    expect(limits.MAX_TRACKING_CODE).toBe(maxLength(TrackingCodeParams.properties.code));
    expect(limits.WHERE_NUMBERS).toBeLessThanOrEqual(LOCATE_MAX_NUMBERS);
  });
});
