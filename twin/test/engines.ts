import { type Db, openPglite, openPostgres } from '@city/ingest';

/** The databases a suite runs on: the embedded PGlite always, the real PostgreSQL too when DATABASE_URL names one. */
export const ENGINES: [name: string, open: () => Promise<Db>][] = [
  ['PGlite', () => openPglite()],
  ...(process.env.DATABASE_URL
    ? [['PostgreSQL', async () => openPostgres(process.env.DATABASE_URL as string)] as [string, () => Promise<Db>]]
    : []),
];
