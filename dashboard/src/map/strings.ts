import type { Dictionary } from '../shared/i18n.ts';

/** The map module's texts: legend and layer toggles. */
export const MAP_STRINGS: Dictionary<
  | 'legend'
  | 'objects'
  | 'noDevice'
  | 'ok'
  | 'stale'
  | 'offline'
  | 'binHalf'
  | 'binFull'
  | 'lampOn'
  | 'lampOff'
  | 'lampFailed'
  | 'alarms'
  | 'airTitle'
  | 'layers'
  | 'layer_air'
  | 'layer_outages'
  | 'layer_clusters'
  | 'layer_objects'
  | 'layer_alarms'
  | 'layer_labels'
  | 'severity_critical'
  | 'severity_major'
  | 'severity_minor'
  | 'severity_warning'
  | 'eaqi_1'
  | 'eaqi_2'
  | 'eaqi_3'
  | 'eaqi_4'
  | 'eaqi_5'
  | 'eaqi_6'
  | 'clustersNote'
  | 'outageNote'
  | 'incidentNote'
> = {
  uk: {
    legend: 'Легенда карти',
    objects: "Об'єкти",
    noDevice: 'без датчика',
    ok: 'на зв’язку',
    stale: 'давно не звітував',
    offline: 'не на зв’язку (порожнє коло)',
    binHalf: 'урна заповнена ≥ 50 %',
    binFull: 'урна заповнена > 85 % (більша, з обводкою)',
    lampOn: 'світильник увімкнено',
    lampOff: 'світильник вимкнено',
    lampFailed: 'світильник несправний (більший, з обводкою)',
    alarms: 'Тривоги (пульсують; що гірше — то більше й частіше)',
    airTitle: 'Якість повітря (EAQI, номер смуги на зоні)',
    layers: 'Шари карти',
    layer_air: 'Якість повітря',
    layer_outages: 'Аварії та звернення',
    layer_clusters: 'Щільність',
    layer_objects: "Об'єкти",
    layer_alarms: 'Тривоги',
    layer_labels: 'Назви',
    severity_critical: 'критична',
    severity_major: 'важлива',
    severity_minor: 'незначна',
    severity_warning: 'попередження',
    eaqi_1: '1 добра',
    eaqi_2: '2 прийнятна',
    eaqi_3: '3 помірна',
    eaqi_4: '4 погана',
    eaqi_5: '5 дуже погана',
    eaqi_6: '6 вкрай погана',
    clustersNote: 'Віддалено: клітинки — кількість об’єктів (світліше — менше)',
    outageNote: 'Район з аварією: товста обводка кольору важливості, підпис',
    incidentNote: 'Звернення мешканців',
  },
  en: {
    legend: 'Map legend',
    objects: 'Objects',
    noDevice: 'no sensor',
    ok: 'reporting',
    stale: 'late to report',
    offline: 'offline (hollow ring)',
    binHalf: 'bin ≥ 50 % full',
    binFull: 'bin > 85 % full (bigger, outlined)',
    lampOn: 'light on',
    lampOff: 'light off',
    lampFailed: 'light failed (bigger, outlined)',
    alarms: 'Alarms (pulsing; worse = bigger and faster)',
    airTitle: 'Air quality (EAQI, band number on each zone)',
    layers: 'Map layers',
    layer_air: 'Air quality',
    layer_outages: 'Outages and reports',
    layer_clusters: 'Density',
    layer_objects: 'Objects',
    layer_alarms: 'Alarms',
    layer_labels: 'Names',
    severity_critical: 'critical',
    severity_major: 'major',
    severity_minor: 'minor',
    severity_warning: 'warning',
    eaqi_1: '1 good',
    eaqi_2: '2 fair',
    eaqi_3: '3 moderate',
    eaqi_4: '4 poor',
    eaqi_5: '5 very poor',
    eaqi_6: '6 extremely poor',
    clustersNote: 'Zoomed out: cells count objects (lighter = fewer)',
    outageNote: 'District outage: thick outline in severity colour, labelled',
    incidentNote: "Residents' reports",
  },
};
