import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from './spool.ts';

const dirs: string[] = [];
function freshDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'spool-test-')), 'client');
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(join(dir, '..'), { recursive: true, force: true });
});

const frame = (i: number) => ({ topic: `application/a/device/${i}/event/up`, payload: Buffer.from(`payload ${i}`) });

describe('Spool', () => {
  it('gives back, in order, what a crashed process flushed and never committed', () => {
    const dir = freshDir();
    const before = new Spool(dir, 0);
    expect(before.recover().frames).toEqual([]);
    for (let i = 0; i < 5; i++) before.append(frame(i).topic, frame(i).payload);
    before.flush();
    before.append(frame(5).topic, frame(5).payload); // never flushed: never acknowledged either
    // No close(): the process died here.
    const after = new Spool(dir, 0);
    const { frames, refs } = after.recover();
    expect(frames.map((f) => [f.topic, Buffer.from(f.payload).toString()])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [frame(i).topic, `payload ${i}`]),
    );
    after.release(refs);
    after.close();
    expect(new Spool(dir, 0).recover().frames).toEqual([]);
  });

  it('drops a torn last record', () => {
    const dir = freshDir();
    const before = new Spool(dir, 0);
    before.recover();
    before.append(frame(1).topic, frame(1).payload);
    before.flush();
    const [file] = readdirSync(dir);
    appendFileSync(join(dir, file as string), Buffer.from([40, 0, 0, 0, 9, 0, 0, 0, 0x61]));
    expect(new Spool(dir, 0).recover().frames).toHaveLength(1);
  });

  it('deletes full segments once every frame in them is committed, and nothing before', () => {
    const dir = freshDir();
    const spool = new Spool(dir, 0, 200);
    spool.recover();
    const segments = Array.from({ length: 20 }, (_, i) => spool.append(frame(i).topic, frame(i).payload));
    spool.flush();
    const counts = new Map<number, number>();
    for (const s of segments) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(3);
    const files = () => readdirSync(dir).length;
    const before = files();
    const [first, ...rest] = [...counts];
    spool.release(new Map([[first?.[0] as number, (first?.[1] as number) - 1]]));
    expect(files()).toBe(before);
    spool.release(new Map([[first?.[0] as number, 1]]));
    expect(files()).toBe(before - 1);
    spool.release(new Map(rest));
    spool.close();
    expect(readdirSync(join(dir, '..'))).toEqual([]);
  });
});
