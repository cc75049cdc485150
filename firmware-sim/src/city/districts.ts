/**
 * The demo city's seven districts, named after Zaporizhzhia's and laid out roughly where they
 * lie (the industrial Zavodskyi in the north-west, Khortytskyi by the island in the west). Each
 * is a union of cells of a coarse grid in degrees, so the districts tile the city exactly; the
 * generator bends the grid into plausible shapes. `industry` scales the air's background dust.
 */
export interface DistrictSpec {
  code: string;
  name: string;
  nameEn: string;
  /** cells as [west, south, east, north] in degrees */
  cells: readonly (readonly [number, number, number, number])[];
  industry: number;
}

const LON = [35.02, 35.09, 35.14, 35.2, 35.28] as const;
const LAT = [47.76, 47.81, 47.86, 47.92] as const;

export const DISTRICTS: readonly DistrictSpec[] = [
  {
    code: '01',
    name: 'Вознесенівський',
    nameEn: 'Voznesenivskyi',
    cells: [[LON[2], LAT[1], LON[3], LAT[2]]],
    industry: 1,
  },
  { code: '02', name: 'Дніпровський', nameEn: 'Dniprovskyi', cells: [[LON[1], LAT[1], LON[2], LAT[2]]], industry: 1.1 },
  { code: '03', name: 'Заводський', nameEn: 'Zavodskyi', cells: [[LON[0], LAT[2], LON[2], LAT[3]]], industry: 1.8 },
  {
    code: '04',
    name: 'Олександрівський',
    nameEn: 'Oleksandrivskyi',
    cells: [[LON[1], LAT[0], LON[3], LAT[1]]],
    industry: 1,
  },
  { code: '05', name: 'Комунарський', nameEn: 'Komunarskyi', cells: [[LON[3], LAT[0], LON[4], LAT[1]]], industry: 1.2 },
  {
    code: '06',
    name: 'Шевченківський',
    nameEn: 'Shevchenkivskyi',
    cells: [
      [LON[2], LAT[2], LON[4], LAT[3]],
      [LON[3], LAT[1], LON[4], LAT[2]],
    ],
    industry: 1.3,
  },
  { code: '07', name: 'Хортицький', nameEn: 'Khortytskyi', cells: [[LON[0], LAT[0], LON[1], LAT[2]]], industry: 0.9 },
];

export function findDistrict(code: string): DistrictSpec | undefined {
  return DISTRICTS.find((d) => d.code === code);
}
