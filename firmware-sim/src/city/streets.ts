import { Random } from '../random.ts';
import { CITY_GRID } from './districts.ts';

/** A street of the generated grid: a straight line across the city before the warp bends it. */
export interface Street {
  name: string;
  /** unwarped ends, degrees */
  from: [number, number];
  to: [number, number];
}

/** Plausible, common Ukrainian street names; none is claimed to exist where it is drawn. */
const NAMES = [
  'просп. Соборний',
  'вул. Незалежності',
  'вул. Шевченка',
  'вул. Івана Франка',
  'вул. Лесі Українки',
  'вул. Грушевського',
  'вул. Січових Стрільців',
  'вул. Героїв',
  'вул. Перемоги',
  'вул. Миру',
  'вул. Гоголя',
  'вул. Сковороди',
  'вул. Хмельницького',
  'вул. Дніпровська',
  'вул. Хортицька',
  'вул. Козацька',
  'вул. Садова',
  'вул. Паркова',
  'вул. Шкільна',
  'вул. Центральна',
  'вул. Лісова',
  'вул. Степова',
  'вул. Набережна',
  'вул. Заводська',
  'вул. Металургів',
  'вул. Енергетиків',
  'вул. Будівельників',
  'вул. Космічна',
  'вул. Патріотична',
  'вул. Волонтерська',
  'вул. Українська',
  'вул. Європейська',
  'вул. Київська',
  'вул. Одеська',
  'вул. Харківська',
  'вул. Львівська',
  'вул. Полтавська',
  'вул. Чернігівська',
  'вул. Вінницька',
  'вул. Сумська',
  'вул. Житомирська',
  'вул. Волинська',
  'вул. Дубова',
  'вул. Липова',
  'вул. Каштанова',
  'вул. Кленова',
  'вул. Березова',
  'вул. Вишнева',
  'вул. Яблунева',
  'вул. Зелена',
  'вул. Сонячна',
  'вул. Весняна',
  'вул. Світла',
  'вул. Тиха',
  'вул. Нова',
];

/** Blocks of about 800 m: the arterial grid the numbered objects line. */
const SPACING_M = 800;

/**
 * East-west and north-south streets across the whole city, at the spacing give or take a
 * sixth, each with its own name.
 */
export function streetGrid(seed: number, metresPerDegLon: number, metresPerDegLat: number): Street[] {
  const rng = new Random(seed);
  const names = rng.shuffle([...NAMES]);
  const west = CITY_GRID.west / 100;
  const east = CITY_GRID.east / 100;
  const south = CITY_GRID.south / 100;
  const north = CITY_GRID.north / 100;
  const name = (i: number) => {
    const base = names[i % names.length] as string;
    return i < names.length ? base : `${base} ${Math.floor(i / names.length) + 1}-га`;
  };
  const lines = (min: number, max: number, metresPerDeg: number) => {
    const out: number[] = [];
    const step = SPACING_M / metresPerDeg;
    for (let v = min + step / 2; v < max; v += step * rng.decimal(0.85, 1.15, 2)) out.push(v);
    return out;
  };
  const eastWest = lines(south, north, metresPerDegLat).map((lat) => ({ from: [west, lat], to: [east, lat] }));
  const northSouth = lines(west, east, metresPerDegLon).map((lon) => ({ from: [lon, south], to: [lon, north] }));
  return [...eastWest, ...northSouth].map((line, i) => ({ ...line, name: name(i) }) as Street);
}
