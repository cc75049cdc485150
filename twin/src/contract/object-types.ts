/**
 * Numbered object types (ids from API.md) and the two-letter Ukrainian prefix painted on each
 * object before its district and sequence: `ОП-03-00417` is pole 417 of district 03.
 */
export const OBJECT_TYPES = {
  pole: { prefix: 'ОП', uk: 'опора освітлення', en: 'lighting pole' },
  manhole: { prefix: 'ЛК', uk: 'люк', en: 'manhole' },
  bin: { prefix: 'СМ', uk: 'смітник, контейнер', en: 'waste bin' },
  tree: { prefix: 'ДР', uk: 'дерево', en: 'tree' },
  cabinet: { prefix: 'ШК', uk: 'шафа керування освітленням', en: 'lighting cabinet' },
  shelter: { prefix: 'ЗП', uk: 'зупинка', en: 'public transport shelter' },
  meter_point: { prefix: 'ЛЧ', uk: 'вузол обліку (лічильник)', en: 'meter point' },
  air_station: { prefix: 'ПС', uk: 'пост спостереження', en: 'air quality station' },
} as const;

export type ObjectType = keyof typeof OBJECT_TYPES;

/** `ОП-03-00417`: prefix, two-digit district code, five-digit sequence within type and district. */
export const OBJECT_NUMBER = /^(ОП|ЛК|СМ|ДР|ШК|ЗП|ЛЧ|ПС)-(\d{2})-(\d{5})$/;

export function objectNumber(type: ObjectType, districtCode: string, sequence: number): string {
  return `${OBJECT_TYPES[type].prefix}-${districtCode}-${String(sequence).padStart(5, '0')}`;
}
