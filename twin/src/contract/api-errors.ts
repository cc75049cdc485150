import { API_ERRORS as INGEST_API_ERRORS } from '@city/ingest/contract';

/**
 * Every error code of the platform's API: ingest's routes' and the platform's base codes, and
 * the twin's own. README "HTTP API" documents the whole list (a test keeps them in step).
 */
export const API_ERRORS = {
  ...INGEST_API_ERRORS,
  unauthorized: 'No valid token or API key (sign in at POST /api/v1/auth/login)',
  forbidden: 'Your role may not do this',
  conflict: 'The resource exists already',
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;
