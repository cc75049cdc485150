import { randomInt } from 'node:crypto';
import { TRACKING_CODE_ALPHABET, TRACKING_CODE_LENGTH } from '../contract/reports.ts';

/** A new tracking code: uniformly random letters of the alphabet (crypto's randomInt has no modulo bias). */
export function newTrackingCode(): string {
  let code = '';
  for (let i = 0; i < TRACKING_CODE_LENGTH; i++)
    code += TRACKING_CODE_ALPHABET[randomInt(TRACKING_CODE_ALPHABET.length)];
  return code;
}

// A resident may type the code on a Ukrainian keyboard layout: Cyrillic capitals that look like
// the alphabet's Latin ones count as those.
const CYRILLIC_LOOKALIKES: Readonly<Record<string, string>> = {
  А: 'A',
  В: 'B',
  С: 'C',
  Е: 'E',
  Н: 'H',
  К: 'K',
  М: 'M',
  Р: 'P',
  Т: 'T',
  Х: 'X',
  У: 'Y',
};

/**
 * The stored form of a code as typed or read out: capitals, without spaces and dashes, Cyrillic
 * look-alikes as Latin; undefined when it cannot be a code (so it is not looked up).
 */
export function normalizeTrackingCode(typed: string): string | undefined {
  const code = [...typed.toUpperCase().replace(/[\s-]/g, '')].map((c) => CYRILLIC_LOOKALIKES[c] ?? c).join('');
  if (code.length !== TRACKING_CODE_LENGTH) return undefined;
  for (const c of code) if (!TRACKING_CODE_ALPHABET.includes(c)) return undefined;
  return code;
}
