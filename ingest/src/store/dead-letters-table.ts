import { createHash } from 'node:crypto';
import type { DeadLetterReason } from '../contract/dead-letter-reasons.ts';
import type { DeadLetter, DeadLetterQuery } from '../contract/http-api.ts';
import type { Queryable } from './db.ts';
import { isoTime } from './iso-time.ts';
import { textArray as texts } from './pg-arrays.ts';

/** A frame that could not become readings, as it is stored: raw, with the reason. */
export interface NewDeadLetter {
  topic: string;
  payload: Uint8Array;
  reason: DeadLetterReason;
  detail: string;
  devEui: string | null;
}

/** Writes the dead letters; a replayed frame (same topic and payload) is a no-op. */
export async function insertDeadLetters(db: Queryable, dl: readonly NewDeadLetter[]): Promise<void> {
  if (dl.length === 0) return;
  await db.query(
    `INSERT INTO dead_letters (topic, payload, reason, detail, dev_eui, fingerprint)
     SELECT t, decode(p, 'hex'), r, d, e, f
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(t, p, r, d, e, f)
     ON CONFLICT (fingerprint) DO NOTHING`,
    [
      texts(dl.map((x) => x.topic)),
      texts(dl.map((x) => Buffer.from(x.payload).toString('hex'))),
      texts(dl.map((x) => x.reason)),
      texts(dl.map((x) => x.detail)),
      texts(dl.map((x) => x.devEui)),
      texts(dl.map((x) => createHash('md5').update(x.topic).update(x.payload).digest('hex'))),
    ],
  );
}

/** A page of dead letters, newest first, filtered by reason and device; `beforeId` pages back. */
export async function listDeadLetters(db: Queryable, q: DeadLetterQuery): Promise<DeadLetter[]> {
  const { rows } = await db.query<DeadLetter>(
    `SELECT id::int AS id, ${isoTime('received_at')} AS "receivedAt", topic, reason, detail, dev_eui AS "devEui",
            encode(payload, 'hex') AS "payloadHex"
       FROM dead_letters
      WHERE ($1::text IS NULL OR reason = $1) AND ($2::text IS NULL OR dev_eui = $2) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [q.reason ?? null, q.devEui?.toLowerCase() ?? null, q.beforeId ?? null, q.limit],
  );
  return rows;
}
