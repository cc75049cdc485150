import { ApiError } from '@city/ingest';
import { CsvError, parse } from 'csv-parse/sync';
import { CSV_COLUMNS, IMPORT_LIMITS, type ImportRejection } from '../../contract/objects.ts';
import { quote } from './check-text.ts';
import type { RawObject } from './raw-object.ts';

const REQUIRED = ['number', 'type', 'lat', 'lon'] as const;
const OWN = new Set<string>(CSV_COLUMNS);

export interface CsvRows {
  objects: RawObject[];
  rejected: ImportRejection[];
}

const refuse = (message: string) => new ApiError(400, 'bad_request', `CSV: ${message}`);

/**
 * A CSV file's rows as objects: a header naming the columns (number, type, lat, lon required;
 * district, address, owner_utility optional; every other column an attribute), comma-separated
 * - or semicolon-separated with decimal commas, as a Ukrainian spreadsheet writes it - quoted as
 * RFC 4180, UTF-8 with or without a byte order mark. A file that cannot be read as
 * CSV at all is refused (400); a row with the wrong number of fields is rejected.
 */
export function readCsv(text: string): CsvRows {
  // Spreadsheets in a comma-decimal locale separate with semicolons: the header says which.
  const headerLine = text.slice(0, text.indexOf('\n') >>> 0);
  const semicolons = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where it ends; csv-parse's types do not follow the option.
    records = parse(text, {
      bom: true,
      delimiter: semicolons ? ';' : ',',
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 1 << 20,
      // One row past the limit, so a longer file is refused rather than cut short.
      to: IMPORT_LIMITS.rows + 2,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) throw refuse(err.message.slice(0, 200));
    throw err;
  }
  const [head, ...rows] = records;
  if (!head) throw refuse('the file is empty');
  const header = head.record.map((name) => name.trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) throw refuse(`the header lacks the column(s) ${missing.join(', ')}`);
  const twice = header.filter((name, i) => header.indexOf(name) !== i);
  if (twice.length > 0) throw refuse(`the header names ${quote(twice[0])} twice`);
  if (header.some((name) => name === '')) throw refuse('the header has an unnamed column');
  if (rows.length > IMPORT_LIMITS.rows) throw refuse(`more than ${IMPORT_LIMITS.rows} rows`);

  const column = (name: string) => header.indexOf(name);
  const [number, type, lat, lon, district, address, owner] = CSV_COLUMNS.map(column) as number[];
  const attributeColumns = header.flatMap((name, i) => (OWN.has(name) ? [] : [[name, i] as const]));
  const cell = (record: string[], i: number | undefined) => (i === undefined || i < 0 ? undefined : record[i]);

  const out: CsvRows = { objects: [], rejected: [] };
  for (const { record, info } of rows) {
    // csv-parse counts the line a row ends on; a quoted cell may span lines.
    const row = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== header.length) {
      out.rejected.push({
        row,
        number: cell(record, number) ?? null,
        reasons: [`row: ${record.length} fields where the header has ${header.length}`],
      });
      continue;
    }
    out.objects.push({
      at: { row },
      text: true,
      decimalComma: semicolons,
      number: cell(record, number),
      type: cell(record, type),
      lat: cell(record, lat),
      lon: cell(record, lon),
      district: cell(record, district),
      address: cell(record, address),
      ownerUtility: cell(record, owner),
      attributes: attributeColumns.map(([name, i]) => [name, record[i]]),
    });
  }
  return out;
}
