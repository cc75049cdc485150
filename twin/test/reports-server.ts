import { type Db, type StaffRole, textArray } from '@city/ingest';
import type { FastifyInstance } from 'fastify';
import { migrateTwin } from '../src/migrate.ts';
import { upsertDistricts } from '../src/objects/districts-table.ts';
import type { CityObjectRecord } from '../src/objects/object-record.ts';
import { upsertObjects } from '../src/objects/objects-table.ts';
import { seedReferenceData } from '../src/objects/reference-data.ts';
import type { ServerOptions } from '../src/server/app.ts';
import { type Inject, testServer } from './test-server.ts';

export { ENGINES } from './engines.ts';

/** District 97 exists only in these tests, so its objects meet no other suite's on a shared database. */
const DISTRICT = '97';
const object = (
  number: string,
  type: string,
  ownerUtility: string | null,
  lat: number,
  lon: number,
): CityObjectRecord => ({
  number,
  type,
  lat,
  lon,
  district: DISTRICT,
  address: `вул. Тестова, ${number.slice(-2)}`,
  ownerUtility,
  attributes: {},
});

/** The objects residents report on in these tests. */
export const FIXTURES = {
  manhole: object('ЛК-97-00001', 'manhole', 'vodokanal', 47.851, 35.151),
  pole: object('ОП-97-00002', 'pole', 'misksvitlo', 47.852, 35.152),
  /** No owner: an incident on it goes to its category's utility. */
  bin: object('СМ-97-00003', 'bin', null, 47.853, 35.153),
  tree: object('ДР-97-00004', 'tree', 'zelenbud', 47.854, 35.154),
  manhole2: object('ЛК-97-00005', 'manhole', 'vodokanal', 47.855, 35.155),
  manhole3: object('ЛК-97-00006', 'manhole', 'vodokanal', 47.856, 35.156),
  manhole4: object('ЛК-97-00007', 'manhole', 'vodokanal', 47.857, 35.157),
} as const;

export interface ReportsServer {
  app: FastifyInstance;
  db: Db;
  /** Requests signed in as a staff member of `role` (a dispatcher of `utility`). */
  as(role: StaffRole, utility?: string | null): Promise<Inject>;
  close(): Promise<void>;
}

/**
 * The platform's server on `open`'s database, holding the fixture objects before it starts (as
 * at a restart, so the object index has them). On a database earlier runs used, their
 * incidents on the fixtures stop collecting, so each run's reports open incidents of their own.
 */
export async function reportsServer(
  open: () => Promise<Db>,
  options: Partial<ServerOptions> = {},
): Promise<ReportsServer> {
  const unlimited = { api: 10_000, signIn: 10_000, commands: 10_000, locate: 10_000, reports: 10_000 };
  const server = await testServer({ rateLimits: unlimited, ...options }, { open, before: holdFixtures });
  return { app: server.app, db: server.ingest.db, as: server.as, close: server.close };
}

async function holdFixtures(db: Db): Promise<void> {
  await migrateTwin(db);
  await seedReferenceData(db);
  await upsertDistricts(db, [
    {
      code: DISTRICT,
      name: 'Тестовий',
      nameEn: 'Test',
      boundary: {
        type: 'Polygon',
        coordinates: [
          [
            [35.1, 47.8],
            [35.2, 47.8],
            [35.2, 47.9],
            [35.1, 47.9],
            [35.1, 47.8],
          ],
        ],
      },
    },
  ]);
  const objects = Object.values(FIXTURES);
  await upsertObjects(db, objects);
  await db.query('UPDATE incidents SET collecting = false WHERE object_number = ANY($1::text[])', [
    textArray(objects.map((o) => o.number)),
  ]);
}
