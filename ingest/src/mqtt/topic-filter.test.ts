import { describe, expect, it } from 'vitest';
import { filterWithin, topicMatches } from './topic-filter.ts';

describe('topic filters', () => {
  it('match topics level by level', () => {
    expect(topicMatches('application/+/device/+/event/+', 'application/a/device/d/event/up')).toBe(true);
    expect(topicMatches('application/+/device/+/event/+', 'application/a/device/d/command/down')).toBe(false);
    expect(topicMatches('application/+/device/+/event/+', 'application/a/device/d/event/up/more')).toBe(false);
    expect(topicMatches('application/#', 'application/a/device/d/event/up')).toBe(true);
  });

  it('hold a subscription inside an ACL only when every topic it matches is inside', () => {
    const downlinks = 'application/+/device/+/command/down';
    expect(filterWithin(downlinks, 'application/app-1/device/+/command/down')).toBe(true);
    expect(filterWithin(downlinks, downlinks)).toBe(true);
    expect(filterWithin(downlinks, 'application/+/device/+/#')).toBe(false);
    expect(filterWithin(downlinks, 'application/+/device/+/+/down')).toBe(false);
    expect(filterWithin(downlinks, '#')).toBe(false);
    expect(filterWithin('application/#', 'application/+/device/+/event/+')).toBe(true);
  });
});
