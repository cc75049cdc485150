import { type Lang, labelIn } from './i18n.ts';

/**
 * Alarm type names in both languages, shared by the desk and the wall so that both screens word an
 * alarm the same way (each page once kept its own identical copy of this table).
 *
 * Alarm types the shipped rules raise (twin/reference-data/alarm-rules.json); a city's own rules
 * may add types, which show by their id.
 */
const ALARM_TYPES: Record<string, { uk: string; en: string }> = {
  air_quality: { uk: 'погане повітря', en: 'poor air quality' },
  battery_low: { uk: 'низький заряд батареї', en: 'battery low' },
  bin_fire: { uk: 'пожежа в контейнері', en: 'fire in a bin' },
  bin_full: { uk: 'контейнер переповнений', en: 'bin full' },
  bin_tilted: { uk: 'контейнер перекинуто', en: 'bin tilted' },
  device_offline: { uk: 'пристрій не на зв’язку', en: 'device offline' },
  index_backwards: { uk: 'показ лічильника зменшився', en: 'meter index went backwards' },
  lamp_day_burning: { uk: 'ліхтар світить удень', en: 'lamp burning by day' },
  lamp_failure: { uk: 'ліхтар не світить', en: 'lamp failure' },
  tamper: { uk: 'втручання в лічильник', en: 'meter tampered with' },
  water_backflow: { uk: 'зворотний потік води', en: 'water backflow' },
  water_burst: { uk: 'порив водогону', en: 'water main burst' },
  water_leak: { uk: 'витік води', en: 'water leak' },
};

/** The alarm type's name in `lang`, or the type id itself for a type the table does not know. */
export function alarmTypeLabel(type: string, lang: Lang): string {
  return labelIn(ALARM_TYPES, type, lang);
}

/** Outage kinds (twin/reference-data/alarm-families.json). */
const OUTAGE_KINDS: Record<string, { uk: string; en: string }> = {
  water: { uk: 'водопостачання', en: 'water supply' },
  lighting: { uk: 'освітлення', en: 'street lighting' },
  heat: { uk: 'теплопостачання', en: 'heating' },
  power: { uk: 'електропостачання', en: 'power' },
};

/** The outage kind's name in `lang`, or the kind id itself. */
export function outageKindLabel(kind: string, lang: Lang): string {
  return labelIn(OUTAGE_KINDS, kind, lang);
}
