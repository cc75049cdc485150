/**
 * The demo city's seven districts, named after Zaporizhzhia's and laid out roughly where they
 * lie (the industrial Zavodskyi in the north-west, Khortytskyi by the island in the west). Their
 * corners sit on a coarse grid, so the districts tile the city exactly; the generator bends
 * the grid into plausible shapes. `industry` scales the air's background dust.
 */
export interface DistrictSpec {
  code: string;
  name: string;
  nameEn: string;
  /** the boundary as [lon, lat] corners of the grid below, counter-clockwise */
  outline: readonly (readonly [lon: number, lat: number])[];
  industry: number;
}

/** Grid lines in hundredths of a degree, so neighbouring districts share their corners exactly. */
const LON = [3502, 3509, 3514, 3520, 3528] as const;
const LAT = [4776, 4781, 4786, 4792] as const;

function ring(...corners: [lonIndex: number, latIndex: number][]): [number, number][] {
  return corners.map(([i, j]) => [LON[i] as number, LAT[j] as number]);
}

export const DISTRICTS: readonly DistrictSpec[] = [
  {
    code: '01',
    name: 'Вознесенівський',
    nameEn: 'Voznesenivskyi',
    outline: ring([2, 1], [3, 1], [3, 2], [2, 2]),
    industry: 1,
  },
  {
    code: '02',
    name: 'Дніпровський',
    nameEn: 'Dniprovskyi',
    outline: ring([1, 1], [2, 1], [2, 2], [1, 2]),
    industry: 1.1,
  },
  { code: '03', name: 'Заводський', nameEn: 'Zavodskyi', outline: ring([0, 2], [2, 2], [2, 3], [0, 3]), industry: 1.8 },
  {
    code: '04',
    name: 'Олександрівський',
    nameEn: 'Oleksandrivskyi',
    outline: ring([1, 0], [3, 0], [3, 1], [2, 1], [1, 1]),
    industry: 1,
  },
  {
    code: '05',
    name: 'Комунарський',
    nameEn: 'Komunarskyi',
    outline: ring([3, 0], [4, 0], [4, 1], [3, 1]),
    industry: 1.2,
  },
  {
    code: '06',
    name: 'Шевченківський',
    nameEn: 'Shevchenkivskyi',
    outline: ring([3, 1], [4, 1], [4, 3], [2, 3], [2, 2], [3, 2]),
    industry: 1.3,
  },
  {
    code: '07',
    name: 'Хортицький',
    nameEn: 'Khortytskyi',
    outline: ring([0, 0], [1, 0], [1, 1], [1, 2], [0, 2]),
    industry: 0.9,
  },
];

/** The whole city's extent, in hundredths of a degree. */
export const CITY_GRID = { west: LON[0], east: LON[4], south: LAT[0], north: LAT[3] } as const;

export function findDistrict(code: string): DistrictSpec | undefined {
  return DISTRICTS.find((d) => d.code === code);
}
