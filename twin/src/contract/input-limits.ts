/**
 * Limits of what residents type, as plain numbers: the API's schemas are built from them, and the
 * resident page imports this module alone (`@city/twin/contract/input-limits`) to hold its inputs
 * to the same, without the schema library the rest of the contract brings (~17 KB gzip).
 */

/** Bytes of a report's photo, decoded. */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Characters of a report's description. */
export const MAX_REPORT_DESCRIPTION = 2000;
/** Characters of a report's contact (phone or e-mail). */
export const MAX_REPORT_CONTACT = 200;
/** Characters of an object number as typed. */
export const MAX_OBJECT_NUMBER = 64;
/** Characters of one number in a locate request (a caller reads out short ones). */
export const MAX_LOCATE_NUMBER = 32;
/** Numbers one locate request may name: a caller reads out a handful, not a district. */
export const LOCATE_MAX_NUMBERS = 10;
/** Characters of a tracking code as typed (spaces and dashes included). */
export const MAX_TRACKING_CODE = 40;
