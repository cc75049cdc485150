import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spool } from '../spool/spool.ts';
import { ReceivedFrames } from './received-frames.ts';

const sent = Array.from({ length: 600 }, (_, i) => ({
  topic: `application/app/device/${i.toString(16).padStart(16, '0')}/event/up${i % 7 === 0 ? '/Запоріжжя' : ''}`,
  payload: Uint8Array.from({ length: i % 5 === 0 ? 0 : 500 + i }, (_, b) => (b * 31 + i) & 0xff),
}));

describe('a batch keeps its frames as received', () => {
  const dir = mkdtempSync(join(tmpdir(), 'received-frames-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each copied frame back as it was added, past the first buffer, with a payload of its own', () => {
    const frames = new ReceivedFrames();
    for (const { topic, payload } of sent) frames.addCopy(topic, payload);
    expect(frames.count).toBe(sent.length);
    for (const [i, frame] of sent.entries()) expect(frames.frame(i)).toEqual(frame);

    const copy = frames.frame(1).payload;
    copy.fill(0);
    expect(frames.frame(1).payload).toEqual(sent[1]?.payload);
    expect(() => frames.frame(sent.length)).toThrow(RangeError);
  });

  it('finds spooled frames in the spool: written, still pending, in a segment rotated away', () => {
    // Small segments, so that the frames span several, and the last ones are not yet flushed.
    const spool = new Spool(join(dir, 'spool'), 0, 64 * 1024);
    spool.recover();
    const frames = new ReceivedFrames(spool);
    for (const [i, { topic, payload }] of sent.entries()) {
      // A frame the spool does not hold (replayed from an earlier run) sits among the others.
      if (i % 50 === 7) frames.addCopy(topic, payload);
      else frames.addSpooled(spool.append(topic, payload), spool.lastOffset);
      if (i % 10 === 0 && i < 550) spool.flush();
    }
    for (const [i, frame] of sent.entries()) expect(frames.frame(i)).toEqual(frame);
    spool.close();
  });
});
