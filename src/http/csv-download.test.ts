import { describe, expect, it } from 'vitest';
import { writeCsv, type CsvColumn } from './csv-download.js';

interface Row {
  name: string;
  amount: string;
}
const columns: CsvColumn<Row>[] = [
  { header: 'name', cell: (row) => row.name },
  { header: 'amount', cell: (row) => row.amount, numeric: true },
];

describe('writeCsv', () => {
  it('writes a header row and one CRLF-ended record a row', () => {
    expect(writeCsv(columns, [{ name: 'Taxi', amount: '12.50' }])).toBe('name,amount\r\nTaxi,12.50\r\n');
  });

  it('quotes cells with commas, quotes or line breaks (RFC 4180)', () => {
    expect(writeCsv(columns, [{ name: 'Café "Nord", Aarhus\nline', amount: '1.00' }])).toBe('name,amount\r\n"Café ""Nord"", Aarhus\nline",1.00\r\n');
  });

  it('guards text that a spreadsheet would run as a formula, and leaves amounts numbers', () => {
    const rows = ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tTab', 'Plain = text'].map((name) => ({ name, amount: '-12.50' }));
    const lines = writeCsv(columns, rows).split('\r\n').slice(1, -1);
    expect(lines).toEqual([`"'=HYPERLINK(""x"")",-12.50`, `'+1,-12.50`, `'-2,-12.50`, `'@SUM(A1),-12.50`, `'\tTab,-12.50`, 'Plain = text,-12.50']);
  });
});
