// Lists downloaded as CSV (RFC 4180): a header row, then one record a row, CRLF line ends.
// Text cells a spreadsheet would run as a formula get an apostrophe in front (OWASP "CSV
// injection"); cells a column marks as numbers (amounts, "-12.50") are written as they are.
import type { FastifyReply } from 'fastify';

export interface CsvColumn<Row> {
  header: string;
  cell(row: Row): string | null;
  /** Decimal amounts and counts: left as numbers, never guarded. */
  numeric?: boolean;
}

/** Rows in one download, at most; a longer list is refused and asks for narrower filters. */
export const csvRowsMax = 10_000;

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

function csvCell(value: string | null, numeric: boolean): string {
  const text = value ?? '';
  const safe = !numeric && formulaStart.test(text) ? `'${text}` : text;
  return needsQuotes.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function writeCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const header = columns.map((column) => csvCell(column.header, false)).join(',');
  const records = rows.map((row) => columns.map((column) => csvCell(column.cell(row), column.numeric ?? false)).join(','));
  return [header, ...records].map((line) => `${line}\r\n`).join('');
}

/** Sends the CSV as a download named `fileName`. */
export function sendCsv(reply: FastifyReply, fileName: string, csv: string): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(csv);
}
