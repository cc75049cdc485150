/**
 * The key an object number is looked up by. A number is painted once (`ОП-03-00417`) and typed
 * back many ways: in lower case, without dashes, on a Latin keyboard (`op0300417`), or with
 * Latin letters slipped into Cyrillic ones by a spreadsheet (`OП 03 00417`). All of those are
 * one key, and the objects table keeps keys unique, so two numbers that differ only so cannot
 * both be stored: an import names the second as a duplicate.
 *
 * The key: Unicode NFKC (full-width digits, ligatures), separators dropped (white space, every
 * dash, the minus sign, `.`, `_`), upper case, each letter of a look-alike pair below mapped to
 * its Cyrillic letter, then lower case.
 *
 * | Latin | Cyrillic |   | Latin | Cyrillic |   | Latin | Cyrillic |
 * |-------|----------|---|-------|----------|---|-------|----------|
 * | A     | А        |   | H     | Н        |   | P     | Р, П (*) |
 * | B     | В        |   | I     | І        |   | T     | Т        |
 * | C     | С        |   | K     | К        |   | X     | Х        |
 * | E     | Е        |   | M     | М        |   | Y     | У        |
 * |       |          |   | O     | О        |   |       |          |
 *
 * (*) A Latin P is how both Р (by its look) and П (by its sound, `ОП` typed as `OP`) are typed,
 * so Р and П share one key letter: `ДР-…` and `ДП-…` would be the same number.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  A: 'А',
  B: 'В',
  C: 'С',
  E: 'Е',
  H: 'Н',
  I: 'І',
  K: 'К',
  M: 'М',
  O: 'О',
  P: 'П',
  Р: 'П',
  T: 'Т',
  X: 'Х',
  Y: 'У',
};

/** White space, every dash (Unicode Pd), the minus sign, dots and underscores. */
const SEPARATORS = /[\s\p{Pd}\u2212._]/gu;
const MAPPED = /[ABCEHIKMOPРTXY]/g;

/** The lookup key of an object number (see above); `''` when it holds nothing but separators. */
export function numberKey(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(SEPARATORS, '')
    .toUpperCase()
    .replace(MAPPED, (letter) => LOOK_ALIKES[letter] ?? letter)
    .toLowerCase();
}
