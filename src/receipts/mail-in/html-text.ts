/**
 * Receipt e-mails as text: what a reader sees in the HTML, one line per block and per table
 * row, the cells of a row separated by tabs (so that "1" and "250.00" in two cells never read
 * as "1 250.00"). Scripts, styles, comments and elements hidden with display:none (the
 * "preheader" shops put first) are dropped; character references are decoded.
 *
 * mailparser's own text (html-to-text) glues table cells together and wraps lines, which
 * loses which price belongs to which item. This reads the HTML in one pass without building
 * a tree, in time linear in its length, and never fails on malformed markup.
 */
import { decodeEntities } from './html-entities.js';

// Break markers in the output, resolved in finish(). Private-use code points, taken out of
// the input text first so that the e-mail cannot forge them.
const blockBreak = '\ue000';
const paragraphBreak = '\ue001';
const cellBreak = '\ue002';
const lineBreak = '\ue003';
const markerCharacters = /[\ue000-\ue003]/g;
const markerRun = /[ \ue000-\ue003]*[\ue000-\ue003][ \ue000-\ue003]*/g;
/** Zero-width and invisible characters, which shops pad preheaders and prices with. */
const invisibleCharacters = /[\u00ad\u200b-\u200d\u2060\ufeff]|\u034f/g;

const paragraphElements = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'blockquote', 'pre', 'hr', 'figure']);
const blockElements = new Set([
  'address', 'article', 'aside', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dt', 'fieldset', 'figcaption',
  'footer', 'form', 'header', 'hgroup', 'legend', 'li', 'main', 'nav', 'option', 'section', 'summary', 'table', 'tbody',
  'tfoot', 'thead', 'tr',
]);
const cellElements = new Set(['td', 'th']);
/** Elements whose content is never shown as text; read as raw text up to their end tag. */
const droppedElements = new Set(['script', 'style', 'title', 'template', 'noscript', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes']);
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

class TextOutput {
  private pieces: string[] = [];

  text(raw: string, preformatted: boolean): void {
    const clean = decodeEntities(raw.replace(markerCharacters, '')).replace(invisibleCharacters, '');
    this.pieces.push(preformatted ? clean.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ') : clean.replace(/\s+/g, ' '));
  }

  marker(marker: string): void {
    this.pieces.push(marker);
  }

  mark(): number {
    return this.pieces.length;
  }

  /** Forgets everything written since `mark`, for an element that turned out hidden. */
  truncate(mark: number): void {
    this.pieces.length = mark;
  }

  finish(): string {
    return this.pieces
      .join('')
      .replace(markerRun, resolveBreaks)
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^[\s]+|\s+$/g, '');
  }
}

/** A run of break markers and spaces: the strongest break wins, at most one empty line. */
function resolveBreaks(run: string): string {
  const hard = [...run].filter((char) => char === lineBreak).length;
  const soft = run.includes(paragraphBreak) ? 2 : run.includes(blockBreak) ? 1 : 0;
  const newlines = Math.min(Math.max(hard, soft), 2);
  if (newlines > 0) return '\n'.repeat(newlines);
  return run.includes(cellBreak) ? '\t' : ' ';
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attributes: Map<string, string>;
  /** Index just past the tag's ">". */
  end: number;
}

const letter = /[a-zA-Z]/;

/** Whether the "<" at `start` opens a tag: a letter follows it, or "/" and a letter. */
function startsTag(html: string, start: number): boolean {
  const next = html[start + 1] ?? '';
  return letter.test(next) || (next === '/' && letter.test(html[start + 2] ?? ''));
}

/** Reads the tag at `start` (see startsTag); null when it never ends. */
function readTag(html: string, start: number): Tag | null {
  const closing = html[start + 1] === '/';
  const nameMatch = /^[a-zA-Z][^\s/>]*/.exec(html.slice(start + (closing ? 2 : 1), start + 64));
  if (!nameMatch) return null;
  const attributes = new Map<string, string>();
  const attributePattern = /\s*([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?|\s*\/?/y;
  let position = start + (closing ? 2 : 1) + nameMatch[0].length;
  while (position < html.length) {
    if (html[position] === '>') {
      const selfClosing = html[position - 1] === '/';
      return { name: nameMatch[0].toLowerCase(), closing, selfClosing, attributes, end: position + 1 };
    }
    attributePattern.lastIndex = position;
    const attribute = attributePattern.exec(html);
    if (!attribute || attribute[0].length === 0) {
      position++;
      continue;
    }
    if (attribute[1]) attributes.set(attribute[1].toLowerCase(), decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? ''));
    position += attribute[0].length;
  }
  return null;
}

function isHidden(attributes: Map<string, string>): boolean {
  return attributes.has('hidden') || /(^|;)\s*display\s*:\s*none\b/i.test(attributes.get('style') ?? '');
}

/** Where markup that is not a tag ends: comments, <!DOCTYPE>, <![CDATA[...]]>, <?xml ...?>. */
function skipDeclaration(html: string, start: number): number {
  const terminator = html.startsWith('<!--', start) ? '-->' : '>';
  const end = html.indexOf(terminator, start + 2);
  return end < 0 ? html.length : end + terminator.length;
}

function skipRawText(html: string, from: number, name: string): number {
  const endTag = new RegExp(`</${name}[\\s/>]`, 'gi');
  endTag.lastIndex = from;
  const end = endTag.exec(html);
  if (!end) return html.length;
  const close = html.indexOf('>', end.index);
  return close < 0 ? html.length : close + 1;
}

export function htmlToText(html: string): string {
  const output = new TextOutput();
  let preDepth = 0;
  let hidden: { name: string; depth: number; mark: number } | null = null;
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf('<', position);
    const textEnd = open < 0 ? html.length : open;
    if (textEnd > position) output.text(html.slice(position, textEnd), preDepth > 0);
    if (open < 0) break;
    const next = html[open + 1] ?? '';
    if (next === '!' || next === '?') {
      position = skipDeclaration(html, open);
      continue;
    }
    if (!startsTag(html, open)) {
      output.text('<', preDepth > 0); // "a < b"
      position = open + 1;
      continue;
    }
    const tag = readTag(html, open);
    if (!tag) break; // a tag without an end swallows the rest, as in a browser
    position = tag.end;
    if (!tag.closing && droppedElements.has(tag.name)) {
      if (!tag.selfClosing) position = skipRawText(html, position, tag.name);
      continue;
    }
    if (hidden && tag.name === hidden.name && !voidElements.has(tag.name)) {
      hidden.depth += tag.closing ? -1 : tag.selfClosing ? 0 : 1;
      if (hidden.depth === 0) {
        output.truncate(hidden.mark);
        hidden = null;
        continue;
      }
    } else if (!hidden && !tag.closing && !tag.selfClosing && !voidElements.has(tag.name) && isHidden(tag.attributes)) {
      // Dropped once it closes; should it never close, its text stays rather than the rest of the mail going.
      hidden = { name: tag.name, depth: 1, mark: output.mark() };
    }
    if (tag.name === 'pre') preDepth = Math.max(0, preDepth + (tag.closing ? -1 : 1));
    writeBreaks(output, tag);
  }
  return output.finish();
}

function writeBreaks(output: TextOutput, tag: Tag): void {
  if (tag.name === 'br') output.marker(lineBreak);
  else if (paragraphElements.has(tag.name)) output.marker(paragraphBreak);
  else if (blockElements.has(tag.name)) output.marker(blockBreak);
  else if (cellElements.has(tag.name) && !tag.closing) output.marker(cellBreak);
  if (tag.name === 'li' && !tag.closing) output.text('- ', false);
}
