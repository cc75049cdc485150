import { createHash } from 'node:crypto';
import type { DeadLetterReason } from '../contract/dead-letter-reasons.ts';
import type { DeadLetter, DeadLetterQuery } from '../contract/http-api.ts';
import type { Queryable } from './db.ts';
import { isoTime } from './iso-time.ts';
import { numberArray as nums, textArray as texts } from './pg-arrays.ts';

/** A frame that could not become readings, as it is stored: raw, with the reason. */
export interface NewDeadLetter {
  topic: string;
  /** The payload's first bytes (DEAD_LETTER_PAYLOAD_KB), or all of it. */
  payload: Uint8Array;
  /** The whole payload's size. */
  payloadBytes: number;
  reason: DeadLetterReason;
  detail: string;
  devEui: string | null;
}

/** The longest topic and detail kept: a dead letter's text may be what made the frame bad. */
const TEXT_KEPT = 1024;
const NOT_STORABLE = /[\0\uD800-\uDFFF]/gu;
const EUI = /^[0-9a-f]{16}$/;

/**
 * A text as a `text` column takes it: NUL and lone surrogates (which PostgreSQL or the UTF-8
 * encoder would refuse or mangle) become U+FFFD, and it is cut to `TEXT_KEPT`.
 */
function storable(text: string): string {
  return (text.length > TEXT_KEPT ? `${text.slice(0, TEXT_KEPT)}…` : text).replace(NOT_STORABLE, '\uFFFD');
}

/** Writes the dead letters; a replayed frame (same topic, kept payload and size) is a no-op. */
export async function insertDeadLetters(db: Queryable, dl: readonly NewDeadLetter[]): Promise<void> {
  if (dl.length === 0) return;
  await db.query(
    `INSERT INTO dead_letters (topic, payload, payload_bytes, reason, detail, dev_eui, fingerprint)
     SELECT t, decode(p, 'hex'), n, r, d, e, f
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS x(t, p, n, r, d, e, f)
     ON CONFLICT (fingerprint) DO NOTHING`,
    [
      texts(dl.map((x) => storable(x.topic))),
      texts(dl.map((x) => Buffer.from(x.payload).toString('hex'))),
      nums(dl.map((x) => x.payloadBytes)),
      texts(dl.map((x) => x.reason)),
      texts(dl.map((x) => storable(x.detail))),
      // The topic's devEui may be anything the publisher wrote: kept only when it is one.
      texts(dl.map((x) => (x.devEui !== null && EUI.test(x.devEui) ? x.devEui : null))),
      texts(dl.map((x) => fingerprint(x))),
    ],
  );
}

/** md5 of topic, kept payload and full size: the same bad frame delivered twice is kept once. */
function fingerprint(x: NewDeadLetter): string {
  return createHash('md5').update(x.topic).update(x.payload).update(String(x.payloadBytes)).digest('hex');
}

/** A page of dead letters, newest first, filtered by reason and device; `beforeId` pages back. */
export async function listDeadLetters(db: Queryable, q: DeadLetterQuery): Promise<DeadLetter[]> {
  const { rows } = await db.query<DeadLetter>(
    `SELECT id::int AS id, ${isoTime('received_at')} AS "receivedAt", topic, reason, detail, dev_eui AS "devEui",
            encode(payload, 'hex') AS "payloadHex", payload_bytes AS "payloadBytes"
       FROM dead_letters
      WHERE ($1::text IS NULL OR reason = $1) AND ($2::text IS NULL OR dev_eui = $2) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [q.reason ?? null, q.devEui?.toLowerCase() ?? null, q.beforeId ?? null, q.limit],
  );
  return rows;
}
