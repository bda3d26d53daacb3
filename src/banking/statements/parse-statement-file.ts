// The entry point: a bank statement file's bytes in, the neutral model out. The format is
// recognised from the content, not the file name (banks name files .sta, .txt, .mt940, .xml,
// .dat or nothing): XML is ISO 20022 camt (052, 053 or 054 by its namespace), SWIFT
// envelopes and field tags are MT940/MT942.
import { readFile, stat } from 'node:fs/promises';
import { parseCamt } from './camt.js';
import { statementFileBytesMax } from './limits.js';
import { parseMt940 } from './mt940.js';
import type { ParsedStatementFile } from './statement.js';
import { StatementParseError } from './statement-parse-error.js';
import { StatementWarnings } from './statement-warnings.js';

const utf8Bom = [0xef, 0xbb, 0xbf];

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return utf8Bom.every((byte, index) => bytes[index] === byte);
}

function decodeXml(bytes: Uint8Array): string {
  const declared = /^(?:\uFEFF)?<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 200)))?.[1]?.toLowerCase();
  if (declared === undefined || declared === 'utf-8' || declared === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new StatementParseError({}, 'the XML is declared (or defaults to) UTF-8 but is not valid UTF-8');
    }
  }
  if (['iso-8859-1', 'latin1', 'iso-8859-15', 'windows-1252'].includes(declared)) return new TextDecoder(declared).decode(bytes);
  throw new StatementParseError({}, `the XML encoding "${declared}" is not supported (UTF-8 or ISO-8859-1)`);
}

/** SWIFT's character set is ASCII; German banks send umlauts in UTF-8 or, in older files,
 * in ISO-8859-1/Windows-1252. Text that is not valid UTF-8 is read as the latter. */
function decodeMt940(bytes: Uint8Array, warnings: StatementWarnings): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    warnings.add('character_set_windows_1252', {}, 'the file is not UTF-8; it was read as Windows-1252 (Latin-1), so letters beyond ASCII may differ from what the bank meant');
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function firstCharacters(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes.subarray(hasUtf8Bom(bytes) ? 3 : 0, 4096)).trimStart();
}

/** The first lines of a file that could only be MT940: an envelope or a field tag. */
const mt940Start = /^(?:\{[1-4]:|:\d{2}[A-Z]?:)/m;

/** 'camt' for XML (which message it is, the namespace says), 'mt940' for MT940/MT942. */
export function detectStatementFormat(bytes: Uint8Array): 'camt' | 'mt940' | null {
  const start = firstCharacters(bytes);
  if (start.startsWith('<')) return 'camt';
  return mt940Start.test(start) ? 'mt940' : null;
}

export function parseStatementFile(content: Uint8Array | string): ParsedStatementFile {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  if (bytes.length > statementFileBytesMax) throw new StatementParseError({}, `the file is ${bytes.length} bytes; the limit is ${statementFileBytesMax}`);
  const format = detectStatementFormat(bytes);
  const warnings = new StatementWarnings();
  if (format === 'camt') return parseCamt(decodeXml(bytes).replace(/^\uFEFF/, ''), warnings);
  if (format === 'mt940') return parseMt940(decodeMt940(bytes, warnings).replace(/^\uFEFF/, ''), warnings);
  const shown = JSON.stringify(firstCharacters(bytes).slice(0, 20));
  throw new StatementParseError({}, `the file is neither MT940/MT942 nor camt XML (it starts with ${shown})`);
}

/** Reads a file from disk, refusing one past the size limit before reading it. */
export async function parseStatementPath(file: string): Promise<ParsedStatementFile> {
  const { size } = await stat(file);
  if (size > statementFileBytesMax) throw new StatementParseError({}, `the file is ${size} bytes; the limit is ${statementFileBytesMax}`);
  return parseStatementFile(await readFile(file));
}
