import { readFileSync } from 'node:fs';
import { API_ERRORS, DEAD_LETTER_REASONS, METRICS } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import { ALL_SETTINGS } from '../src/embedded-settings.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const documented = (name: string) => readme.includes(`| \`${name}\` |`);

// The README's tables are the user's reference: each closed list in code has its row there.
describe('README stays in step with the code', () => {
  it.each(Object.values(ALL_SETTINGS).map((s) => s.env))('documents setting %s', (env) => {
    expect(documented(env)).toBe(true);
  });
  it.each(Object.keys(METRICS))('documents metric %s', (metric) => {
    expect(documented(metric)).toBe(true);
  });
  it.each(Object.keys(DEAD_LETTER_REASONS))('documents dead-letter reason %s', (reason) => {
    expect(documented(reason)).toBe(true);
  });
  it.each(Object.keys(API_ERRORS))('documents API error %s', (code) => {
    expect(documented(code)).toBe(true);
  });
});
