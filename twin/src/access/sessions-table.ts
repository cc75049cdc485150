import type { Queryable } from '@city/ingest';

/** Records an issued token by its JWT id, so that it can be revoked before it expires. */
export async function insertSession(db: Queryable, jti: string, username: string, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO staff_sessions (jti, username, expires_at) VALUES ($1, $2, $3)', [
    jti,
    username,
    expiresAt,
  ]);
}

/** Whether a token is still good: issued here, not revoked, not expired, its account enabled. */
export async function sessionIsLive(db: Queryable, jti: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM staff_sessions s JOIN staff_users u USING (username)
      WHERE s.jti = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
    [jti],
  );
  return rows.length > 0;
}

export async function revokeSession(db: Queryable, jti: string): Promise<void> {
  await db.query('UPDATE staff_sessions SET revoked_at = now() WHERE jti = $1 AND revoked_at IS NULL', [jti]);
}

/** Revokes every token of an account (its password or role changed, or it was disabled). */
export async function revokeSessionsOf(db: Queryable, username: string): Promise<void> {
  await db.query('UPDATE staff_sessions SET revoked_at = now() WHERE username = $1 AND revoked_at IS NULL', [username]);
}
