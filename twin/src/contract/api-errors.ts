import { API_ERRORS as INGEST_API_ERRORS } from '@city/ingest/contract';

/**
 * Every error code of the platform's API: ingest's routes' and the platform's base codes, and
 * the twin's own. README "HTTP API" documents the whole list (a test keeps them in step).
 */
export const API_ERRORS = {
  ...INGEST_API_ERRORS,
  unauthorized: 'No valid token or API key (sign in at POST /api/v1/auth/login)',
  forbidden: 'Your role may not do this',
  conflict: 'The resource exists already, or a shipped one cannot be deleted (disable it instead)',
  unknown_object: 'No city object has this number',
  bad_photo: 'The photo is not a JPEG, PNG or WebP file of its stated type, or is over 2 MB',
  invalid_transition: "The incident's or alarm's state cannot change this way (see the lifecycle)",
  import_rejected:
    'The import file has rejected rows, so nothing was written (mode=all-or-nothing); the report says which and why',
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;
