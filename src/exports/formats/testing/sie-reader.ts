// A small SIE reader for the tests: decodes CP437, splits CRLF lines into records (label,
// fields with quotes and \" undone, {} object lists kept as text) and gathers each #VER with
// the #TRANS records between its braces. It throws on what a strict importer would refuse:
// a bare LF, an unterminated string, a #TRANS outside a voucher, a brace out of place.
import { cp437UpperHalf } from '../cp437.js';

export interface SieRecord {
  label: string;
  fields: string[];
  line: number;
}

export interface SieVoucher {
  ver: SieRecord;
  transactions: SieRecord[];
}

export interface SieFile {
  records: SieRecord[];
  vouchers: SieVoucher[];
}

export function decodeCp437(bytes: Buffer): string {
  const upper = [...cp437UpperHalf];
  return [...bytes].map((byte) => (byte < 0x80 ? String.fromCharCode(byte) : upper[byte - 0x80]!)).join('');
}

function readString(line: string, start: number): { value: string; end: number } {
  let value = '';
  for (let index = start + 1; index < line.length; index += 1) {
    if (line[index] === '\\' && line[index + 1] === '"') {
      value += '"';
      index += 1;
    } else if (line[index] === '"') {
      return { value, end: index + 1 };
    } else {
      value += line[index];
    }
  }
  throw new Error(`unterminated string in ${JSON.stringify(line)}`);
}

export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let index = 0;
  while (index < line.length) {
    if (line[index] === ' ' || line[index] === '\t') {
      index += 1;
    } else if (line[index] === '"') {
      const string = readString(line, index);
      tokens.push(string.value);
      index = string.end;
    } else if (line[index] === '{' && index > 0) {
      const end = line.indexOf('}', index);
      if (end < 0) throw new Error(`unterminated object list in ${JSON.stringify(line)}`);
      tokens.push(line.slice(index, end + 1));
      index = end + 1;
    } else {
      const end = line.slice(index).search(/[ \t]/);
      tokens.push(end < 0 ? line.slice(index) : line.slice(index, index + end));
      index = end < 0 ? line.length : index + end;
    }
  }
  return tokens;
}

export function readSie(bytes: Buffer): SieFile {
  const text = decodeCp437(bytes);
  if (!text.endsWith('\r\n')) throw new Error('the file does not end in CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  if (lines.some((line) => /[\r\n]/.test(line))) throw new Error('a bare CR or LF inside a line');
  const records: SieRecord[] = [];
  const vouchers: SieVoucher[] = [];
  let open: SieVoucher | null = null;
  lines.forEach((line, index) => {
    const [label, ...fields] = tokenize(line);
    const record = { label: label ?? '', fields, line: index + 1 };
    if (record.label === '{') {
      if (open || records.at(-1)?.label !== '#VER') throw new Error(`line ${index + 1}: "{" not after a #VER`);
      open = { ver: records.at(-1)!, transactions: [] };
    } else if (record.label === '}') {
      if (!open) throw new Error(`line ${index + 1}: "}" without "{"`);
      vouchers.push(open);
      open = null;
    } else if (record.label === '#TRANS') {
      if (!open) throw new Error(`line ${index + 1}: #TRANS outside a voucher`);
      (open as SieVoucher).transactions.push(record);
    } else {
      if (open) throw new Error(`line ${index + 1}: ${record.label} inside a voucher`);
      records.push(record);
    }
  });
  if (open) throw new Error('a voucher is not closed');
  return { records, vouchers };
}
