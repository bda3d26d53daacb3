// Loading an XML bank file without trusting it: no DOCTYPE (so no entity definitions, no
// external entities and no entity expansion), a bounded nesting depth, well-formedness
// checked before parsing, and every value kept as text. The parsed tree is read through
// XmlNode, which knows its element path for error messages.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { xmlDepthMax } from './limits.js';
import { StatementParseError } from './statement-parse-error.js';

const attributePrefix = '@_';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: attributePrefix,
  removeNSPrefix: true,
  // Amounts stay strings: "8.850" must not become the number 8.85.
  parseTagValue: false,
  parseAttributeValue: false,
  // Entities are not expanded by the parser; XmlNode decodes the five predefined ones and
  // character references itself, and nothing else exists without a DOCTYPE.
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
});

const predefinedEntities: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string, path: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|[A-Za-z][\w.-]*);/g, (reference, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    } else if (predefinedEntities[name] !== undefined) {
      return predefinedEntities[name]!;
    }
    throw new StatementParseError({ path }, `${reference} is not an XML character reference or predefined entity`);
  });
}

export class XmlNode {
  constructor(
    readonly path: string,
    private readonly value: unknown,
  ) {}

  private get object(): Record<string, unknown> | null {
    return typeof this.value === 'object' && this.value !== null ? (this.value as Record<string, unknown>) : null;
  }

  children(name: string): XmlNode[] {
    const items = this.object?.[name];
    if (!Array.isArray(items)) return [];
    return items.map((item, index) => new XmlNode(`${this.path}/${name}${items.length > 1 ? `[${index + 1}]` : ''}`, item));
  }

  child(name: string): XmlNode | null {
    return this.children(name)[0] ?? null;
  }

  /** Follows a path of first children: node.at('Acct', 'Id', 'IBAN'). */
  at(...names: string[]): XmlNode | null {
    return names.reduce<XmlNode | null>((node, name) => node?.child(name) ?? null, this);
  }

  /** The element's text, or null when it has none (an element with children only). */
  text(): string | null {
    const raw = typeof this.value === 'string' ? this.value : this.object?.['#text'];
    if (typeof raw !== 'string' && typeof raw !== 'number') return null;
    const decoded = decodeEntities(String(raw), this.path);
    return decoded === '' ? null : decoded;
  }

  attribute(name: string): string | null {
    const raw = this.object?.[attributePrefix + name];
    return typeof raw === 'string' ? decodeEntities(raw, `${this.path}/@${name}`) : null;
  }

  textAt(...names: string[]): string | null {
    return this.at(...names)?.text() ?? null;
  }

  /** The text of a mandatory child element; its absence refuses the file. */
  requiredText(...names: string[]): string {
    const node = this.at(...names);
    const value = node?.text() ?? null;
    if (value === null) throw new StatementParseError({ path: `${this.path}/${names.join('/')}` }, node ? 'is empty' : 'is missing');
    return value;
  }

  fail(detail: string): StatementParseError {
    return new StatementParseError({ path: this.path }, detail);
  }
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

const markupPattern = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)[A-Za-z_][^>]*?(\/?)>/g;

function checkDepth(text: string): void {
  let depth = 0;
  for (const markup of text.matchAll(markupPattern)) {
    if (markup[0].startsWith('<!') || markup[0].startsWith('<?') || markup[2] === '/') continue;
    depth += markup[1] === '/' ? -1 : 1;
    if (depth > xmlDepthMax) throw new StatementParseError({ line: lineOf(text, markup.index) }, `elements nest deeper than ${xmlDepthMax} levels`);
  }
}

export interface XmlRoot {
  /** Local name of the root element, e.g. "Document". */
  name: string;
  namespace: string | null;
  node: XmlNode;
}

const prologPattern = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;
const rootPattern = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>/;

function rootNamespace(attributes: string, prefix: string | undefined): string | null {
  const name = prefix ? `xmlns:${prefix}` : 'xmlns';
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const match = new RegExp(`\\s${escaped}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** The parsed tree. The parser finds damage the validator let through (a processing
 * instruction opened inside the XML declaration), refused like any malformed XML. */
function parseTree(text: string): Record<string, unknown[]> {
  try {
    return parser.parse(text) as Record<string, unknown[]>;
  } catch (error) {
    throw new StatementParseError({}, `the XML is not well-formed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function loadXml(text: string): XmlRoot {
  const doctype = /<!DOCTYPE|<!ENTITY/i.exec(text);
  if (doctype) {
    throw new StatementParseError({ line: lineOf(text, doctype.index) }, 'the document has a DOCTYPE or entity declaration, which bank statements never need; it is refused');
  }
  // Well-formedness first: the validator is linear, and once comments and CDATA sections are
  // known to be closed the depth scan is too.
  const validation = XMLValidator.validate(text);
  if (validation !== true) throw new StatementParseError({ line: validation.err.line }, `the XML is not well-formed: ${validation.err.msg}`);
  checkDepth(text);
  const rest = text.slice(prologPattern.exec(text)![0].length);
  const root = rootPattern.exec(rest);
  if (!root) throw new StatementParseError({}, 'the XML has no root element');
  const name = root[2]!;
  const tree = parseTree(text);
  return { name, namespace: rootNamespace(root[3]!, root[1]), node: new XmlNode(name, tree[name]?.[0]) };
}
