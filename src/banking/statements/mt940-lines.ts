// The layer of MT940 below the fields: line breaks (CRLF, LF or CR), the SWIFT envelope
// ({1:...}{2:...}{3:...}{4: ... -}{5:...}), "-" between messages, fields that start with a
// tag (":61:") and the continuation lines that belong to the field above them.
import { mt940FieldLinesMax, mt940LineCharsMax, mt940PreambleLinesMax } from './limits.js';
import { StatementParseError } from './statement-parse-error.js';

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
  private started = false;
  private preambleLines = 0;

  endMessage(): void {
    if (this.fields.length > 0) this.messages.push({ fields: this.fields });
    this.fields = [];
    this.field = null;
    this.started = true;
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
      this.started = true;
    } else if (this.field) {
      if (this.field.lines.length >= mt940FieldLinesMax) {
        throw new StatementParseError({ line }, `:${this.field.tag}: has more than ${mt940FieldLinesMax} lines`);
      }
      this.field.lines.push(text);
    } else if (!this.started && this.preambleLines < mt940PreambleLinesMax) {
      this.preambleLines += 1;
    } else {
      throw new StatementParseError({ line }, `"${text.slice(0, 40)}" is outside any field (a field starts with a tag such as ":61:")`);
    }
  }
}

export function readMt940Messages(text: string): Mt940Message[] {
  const reader = new MessageReader();
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.length > mt940LineCharsMax) {
      throw new StatementParseError({ line }, `the line has ${raw.length} characters; the limit is ${mt940LineCharsMax}`);
    }
    reader.read(raw.replace(trailingPadding, ''), line);
  });
  reader.endMessage();
  return reader.messages;
}
