// A strict RFC 4180 reader for the tests: records end in CRLF, a quoted field may hold the
// separator, CR, LF and doubled quotes; anything else (a bare LF, a quote inside an unquoted
// field, text after a closing quote) throws, so a writer that breaks the rules fails its test.
// Each field also says whether it was quoted, since DATEV tells text from numbers that way.

export interface CsvField {
  value: string;
  quoted: boolean;
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let index = start + 1;
  for (;;) {
    const next = text.indexOf('"', index);
    if (next < 0) throw new Error(`unterminated quoted field at offset ${start}`);
    value += text.slice(index, next);
    if (text[next + 1] === '"') {
      value += '"';
      index = next + 2;
    } else {
      return { value, end: next + 1 };
    }
  }
}

export function readCsvFields(text: string, separator: string): CsvField[][] {
  if (text.length > 0 && !text.endsWith('\r\n')) throw new Error('the last record does not end in CRLF');
  const records: CsvField[][] = [];
  let record: CsvField[] = [];
  let index = 0;
  while (index < text.length) {
    let field: CsvField;
    if (text[index] === '"') {
      const quoted = readQuoted(text, index);
      field = { value: quoted.value, quoted: true };
      index = quoted.end;
    } else {
      const end = text.slice(index).search(new RegExp(`[${separator}\\r\\n"]`));
      const stop = end < 0 ? text.length : index + end;
      if (text[stop] === '"') throw new Error(`a quote inside an unquoted field at offset ${stop}`);
      field = { value: text.slice(index, stop), quoted: false };
      index = stop;
    }
    record.push(field);
    if (text[index] === separator) {
      index += 1;
    } else if (text.startsWith('\r\n', index)) {
      records.push(record);
      record = [];
      index += 2;
    } else {
      throw new Error(`expected "${separator}" or CRLF at offset ${index}, found ${JSON.stringify(text[index])}`);
    }
  }
  return records;
}

export function readCsv(text: string, separator = ','): string[][] {
  return readCsvFields(text, separator).map((record) => record.map((field) => field.value));
}
