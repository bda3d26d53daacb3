// The layer of MT940 below the fields: line breaks (CRLF, LF or CR), the SWIFT envelope
// ({1:...}{2:...}{3:...}{4: ... -}{5:...}), "-" between messages, fields that start with a
// tag (":61:") and the continuation lines that belong to the field above them.
import { mt940FieldLinesMax, mt940HeaderLinesMax, mt940LineCharsMax } from './limits.js';
import { StatementParseError } from './statement-parse-error.js';
import type { StatementWarnings } from './statement-warnings.js';

export interface Mt940Field {
  /** "20", "28C", "61", "NS", ... */
  tag: string;
  /** Line of the file where the field starts. */
  line: number;
  /** The text after the tag, then each continuation line; trailing blanks removed. */
  lines: string[];
}

export interface Mt940Message {
  fields: Mt940Field[];
}

/** Trailing blanks are padding (some banks fill every line); NUL and the DOS end-of-file
 * character (^Z) are what old transfer programs leave at the end. */
// eslint-disable-next-line no-control-regex -- matching these control characters is the point
const trailingPadding = /[\s\u0000\u001a]+$/u;

/** SWIFT tags are two digits and an optional option letter; ":NS:" is a bank-specific field. */
const tagPattern = /^:(\d{2}[A-Z]?|NS):/;
const blockPattern = /^\{([1-5]):/;

/** Index of the brace that closes the block opening at 0, or -1 when the line ends first. */
function blockEnd(text: string): number {
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '{') depth += 1;
    else if (text[index] === '}' && --depth === 0) return index;
  }
  return -1;
}

class MessageReader {
  readonly messages: Mt940Message[] = [];
  private fields: Mt940Field[] = [];
  private field: Mt940Field | null = null;
  /** Header lines since the last field or message end. */
  private headerLines = 0;

  constructor(private readonly warnings: StatementWarnings) {}

  endMessage(): void {
    if (this.fields.length > 0) this.messages.push({ fields: this.fields });
    this.fields = [];
    this.field = null;
    this.headerLines = 0;
  }

  /** Reads what is left of a line; envelope blocks and "-}" may share a line with a field. */
  read(text: string, line: number): void {
    let rest = text;
    while (rest !== '') {
      const block = blockPattern.exec(rest);
      if (block) {
        this.endMessage();
        if (block[1] === '4') {
          rest = rest.slice(block[0].length);
          continue;
        }
        const end = blockEnd(rest);
        if (end < 0) throw new StatementParseError({ line }, `SWIFT block {${block[1]}: is not closed on its line`);
        rest = rest.slice(end + 1);
      } else if (rest.startsWith('-}')) {
        this.endMessage();
        rest = rest.slice(2);
      } else if (rest === '-') {
        this.endMessage();
        rest = '';
      } else {
        this.readField(rest, line);
        rest = '';
      }
    }
  }

  private readField(text: string, line: number): void {
    const tag = tagPattern.exec(text);
    if (tag) {
      this.field = { tag: tag[1]!, line, lines: [text.slice(tag[0].length)] };
      this.fields.push(this.field);
    } else if (this.field) {
      if (this.field.lines.length >= mt940FieldLinesMax) {
        throw new StatementParseError({ line }, `:${this.field.tag}: has more than ${mt940FieldLinesMax} lines`);
      }
      this.field.lines.push(text);
    } else if (this.headerLines < mt940HeaderLinesMax) {
      // Before the first field of a message: what banks put around messages ("ABNANL2A",
      // "940", a transfer header). Nothing of a statement can be there yet.
      this.headerLines += 1;
      this.warnings.add('header_line_skipped', { line }, `"${text.slice(0, 40)}" is not a field; skipped as a header line`);
    } else {
      throw new StatementParseError({ line }, `"${text.slice(0, 40)}" is outside any field (a field starts with a tag such as ":61:"), after ${mt940HeaderLinesMax} such lines`);
    }
  }
}

/** SWIFT field lines are at most 65 characters after the tag; longer ones are read, and noted once. */
const swiftLineChars = 65;

export function readMt940Messages(text: string, warnings: StatementWarnings): Mt940Message[] {
  const reader = new MessageReader(warnings);
  let longLines = 0;
  let firstLongLine = 0;
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.length > mt940LineCharsMax) {
      throw new StatementParseError({ line }, `the line has ${raw.length} characters; the limit is ${mt940LineCharsMax}`);
    }
    const content = raw.replace(trailingPadding, '');
    if (content.replace(tagPattern, '').length > swiftLineChars && (longLines += 1) === 1) firstLongLine = line;
    reader.read(content, line);
  });
  reader.endMessage();
  if (longLines > 0) warnings.add('line_longer_than_swift', { line: firstLongLine }, `${longLines} ${longLines === 1 ? 'line is' : 'lines are'} longer than SWIFT's ${swiftLineChars} characters, the first this one`);
  return reader.messages;
}
