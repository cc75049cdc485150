import { describe, expect, it } from 'vitest';
import { ReceivedFrames } from './received-frames.ts';

describe('a batch keeps its frames as received', () => {
  it('gives each frame back as it was added, past the first buffer, with a payload of its own', () => {
    const frames = new ReceivedFrames();
    const sent = Array.from({ length: 600 }, (_, i) => ({
      topic: `application/app/device/${i.toString(16).padStart(16, '0')}/event/up${i % 7 === 0 ? '/Запоріжжя' : ''}`,
      payload: Uint8Array.from({ length: i % 5 === 0 ? 0 : 500 + i }, (_, b) => (b * 31 + i) & 0xff),
    }));
    for (const { topic, payload } of sent) frames.add(topic, payload);
    expect(frames.count).toBe(sent.length);
    for (const [i, frame] of sent.entries()) expect(frames.frame(i)).toEqual(frame);

    const copy = frames.frame(1).payload;
    copy.fill(0);
    expect(frames.frame(1).payload).toEqual(sent[1]?.payload);
    expect(() => frames.frame(sent.length)).toThrow(RangeError);
  });
});
