import { applyMigrations, type Db } from '@city/ingest';

/** The twin's tables, from its own ordered SQL files in migrations/. */
export function migrateTwin(db: Db): Promise<string[]> {
  return applyMigrations(db, new URL('./migrations/', import.meta.url), { owner: 'twin' });
}
