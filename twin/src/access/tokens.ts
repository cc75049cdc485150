import { createHash, randomBytes } from 'node:crypto';
import type { StaffRole } from '@city/ingest';

/** API keys start so, which tells them from JWTs and makes a leaked one easy to search for. */
export const API_KEY_PREFIX = 'csc_';

export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What a staff token says (`sub`: the username; `jti`: its session, revocable). */
export interface StaffClaims {
  sub: string;
  role: StaffRole;
  utility: string | null;
  jti: string;
}
