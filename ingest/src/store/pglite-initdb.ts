import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_START_PARAMS } from './db.ts';
import { DurableNodeFS } from './durable-node-fs.ts';

/**
 * Run as a child process by `openPglite` (db.ts): creates the embedded data directory given as
 * the argument (PostgreSQL's initdb), then exits, so initdb's memory leaves with the process.
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: pglite-initdb <data directory>');
const lite = await PGlite.create({ fs: new DurableNodeFS(dataDir), startParams: EMBEDDED_START_PARAMS });
await lite.close();
