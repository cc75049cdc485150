import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@city/ingest';

const MIN_SECRET_LENGTH = 32;

/**
 * The key staff tokens are signed with. Production sets JWT_SECRET (the same in every server
 * replica); the embedded mode, when it is unset, makes one and keeps it in DATA_DIR so that
 * tokens outlive a restart.
 */
export function jwtSecret(config: { jwtSecret: string | undefined; dataDir: string }, opts: { embedded: boolean }) {
  if (config.jwtSecret !== undefined) {
    if (config.jwtSecret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`JWT_SECRET must have at least ${MIN_SECRET_LENGTH} characters`);
    }
    return config.jwtSecret;
  }
  if (!opts.embedded) {
    throw new ConfigError('JWT_SECRET is required (e.g. `openssl rand -base64 48`), the same for every server replica');
  }
  const file = join(config.dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
