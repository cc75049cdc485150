/**
 * The API's limits the resident page needs, copied here on purpose: importing a value from
 * `@city/twin/contract` brings its schema library into the bundle (about 17 KB gzip, most of the
 * page's weight). limits.test.ts holds each copy equal to the contract's, so they cannot drift.
 */

/** Bytes of a report's photo, decoded (contract reports.ts MAX_PHOTO_BYTES). */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Characters of a report's description (contract reports.ts NewReport.description). */
export const MAX_DESCRIPTION = 2000;
/** Characters of a report's contact (contract reports.ts NewReport.contact). */
export const MAX_CONTACT = 200;
/** Characters of an object number as typed (contract reports.ts ObjectNumberInput). */
export const MAX_NUMBER = 64;
/** Characters of a number in a locate request (contract locate.ts LocateRequest). */
export const MAX_LOCATE_NUMBER = 32;
/** Characters of a tracking code as typed (contract reports.ts TrackingCodeParams). */
export const MAX_TRACKING_CODE = 40;

/** Objects "Where am I?" asks for: a resident sees a few around them (the API takes up to LOCATE_MAX_NUMBERS). */
export const WHERE_NUMBERS = 3;
