// The European Central Bank's euro foreign exchange reference rates in XML: the daily file
// (eurofxref-daily.xml) and the history files (eurofxref-hist.xml, eurofxref-hist-90d.xml),
// which differ only in how many days they hold:
//
//   <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
//                    xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
//     <gesmes:subject>Reference rates</gesmes:subject>
//     <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
//     <Cube>
//       <Cube time='2026-11-20'>
//         <Cube currency='USD' rate='1.0546'/>   (1 EUR buys 1.0546 USD)
//
// The reader below knows this one format and nothing else of XML: no DTD, entity, CDATA or
// processing instruction is accepted, so a file cannot expand or fetch anything. Whatever
// differs from the format is refused with the line it is on; a rate is never guessed.
import { isCurrency } from '../money/money.js';
import { DomainError } from '../shared/errors.js';
import { checkRate } from './exchange-rate.js';
import { isCalendarDate } from './rate-date.js';

export interface EcbRate {
  currency: string;
  /** Units of `currency` one euro buys, exactly as the file writes it ("1.0546"). */
  rate: string;
}

export interface EcbDay {
  date: string;
  rates: EcbRate[];
}

export interface EcbLimits {
  /** The full history since 1999 is about 7 MB. */
  bytesMax: number;
  /** The full history holds about 7,000 working days. */
  daysMax: number;
  /** The ECB publishes about 30 currencies a day. */
  ratesPerDayMax: number;
}

export const ecbLimits: EcbLimits = { bytesMax: 32 * 1024 * 1024, daysMax: 20_000, ratesPerDayMax: 100 };

const gesmesNamespace = 'http://www.gesmes.org/xml/2002-08-01';
const eurofxrefNamespace = 'http://www.ecb.int/vocabulary/2002-08-01/eurofxref';
/** Envelope > Cube > Cube time > Cube currency. */
const elementDepthMax = 4;
const tagCharsMax = 1_000;

type EcbErrorCode = 'validation_failed' | 'payload_too_large';

/** A file that is not a valid ECB rates file, with the line where it goes wrong. */
export class EcbRatesError extends DomainError {
  constructor(
    readonly detail: string,
    readonly line: number,
    code: EcbErrorCode = 'validation_failed',
    readonly file?: string,
  ) {
    super(code, `${file === undefined ? '' : `${file}, `}line ${line}: ${detail}`);
    this.name = 'EcbRatesError';
  }

  /** The same error, naming the file it was read from. */
  inFile(file: string): EcbRatesError {
    return new EcbRatesError(this.detail, this.line, this.code as EcbErrorCode, file);
  }
}

interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  line: number;
}

/** Reads an ECB reference rates file into its days, in file order (the history files list
 * the newest day first). */
export function parseEcbRates(xml: string, limits: EcbLimits = ecbLimits): EcbDay[] {
  if (xml.length > limits.bytesMax) {
    throw new EcbRatesError(`the file is larger than the ${limits.bytesMax} bytes an ECB rates file may have`, 1, 'payload_too_large');
  }
  return readEnvelope(readElements(xml), limits);
}

// ---- The XML layer: elements, attributes and line numbers, for this format only. ----

const whitespaceOnly = /^[ \t\r\n]*$/;
const startTagPattern = /^<([A-Za-z_][\w:.-]*)((?:[ \t\r\n]+[A-Za-z_][\w:.-]*[ \t\r\n]*=[ \t\r\n]*(?:'[^'<&]*'|"[^"<&]*"))*)[ \t\r\n]*(\/?)>$/;
const attributePattern = /([A-Za-z_][\w:.-]*)[ \t\r\n]*=[ \t\r\n]*(?:'([^']*)'|"([^"]*)")/g;
const endTagPattern = /^<\/([A-Za-z_][\w:.-]*)[ \t\r\n]*>$/;
const declarationPattern = /^<\?xml[ \t\r\n][^<>]*\?>/;
const encodingPattern = /encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']/;
/** Only these hold text (a title and the sender's name); everywhere else is markup. */
const textElements = new Set(['gesmes:subject', 'gesmes:name']);

class Scanner {
  position = 0;
  line = 1;
  constructor(readonly text: string) {}

  advanceTo(position: number): void {
    for (let i = this.position; i < position; i++) if (this.text.charCodeAt(i) === 10) this.line++;
    this.position = position;
  }

  /** The tag starting here, up to its '>', with the line it starts on. */
  takeTag(): { tag: string; line: number } {
    const line = this.line;
    const end = this.text.indexOf('>', this.position);
    if (end === -1 || end - this.position >= tagCharsMax) throw new EcbRatesError('a tag is not closed with ">"', line);
    const tag = this.text.slice(this.position, end + 1);
    this.advanceTo(end + 1);
    return { tag, line };
  }
}

function readDeclaration(scanner: Scanner): void {
  if (scanner.text.startsWith('\uFEFF')) scanner.advanceTo(1);
  if (!scanner.text.startsWith('<?xml', scanner.position)) return;
  const match = declarationPattern.exec(scanner.text.slice(scanner.position, scanner.position + tagCharsMax));
  if (!match) throw new EcbRatesError('the XML declaration is malformed', scanner.line);
  const encoding = encodingPattern.exec(match[0])?.[1];
  if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') {
    throw new EcbRatesError(`the file declares encoding "${encoding}"; ECB rates files are UTF-8`, scanner.line);
  }
  scanner.advanceTo(scanner.position + match[0].length);
}

function readAttributes(attributeText: string, line: number): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of attributeText.matchAll(attributePattern)) {
    const name = match[1]!;
    if (attributes.has(name)) throw new EcbRatesError(`the attribute ${name} appears twice in one tag`, line);
    attributes.set(name, match[2] ?? match[3]!);
  }
  return attributes;
}

function checkText(text: string, line: number, parent: XmlElement | undefined): void {
  if (whitespaceOnly.test(text) || (parent && textElements.has(parent.name))) return;
  const leading = /^[ \t\r\n]*/.exec(text)![0];
  const textLine = line + (leading.match(/\n/g)?.length ?? 0);
  const where = parent ? `inside <${parent.name}>` : 'outside the root element';
  throw new EcbRatesError(`unexpected text ${JSON.stringify(text.trim().slice(0, 40))} ${where}`, textLine);
}

function readElements(xml: string): XmlElement {
  const scanner = new Scanner(xml);
  readDeclaration(scanner);
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (scanner.position < xml.length) {
    const next = xml.indexOf('<', scanner.position);
    const textEnd = next === -1 ? xml.length : next;
    checkText(xml.slice(scanner.position, textEnd), scanner.line, open.at(-1));
    scanner.advanceTo(textEnd);
    if (next === -1) break;

    if (xml.startsWith('<!--', next)) {
      const end = xml.indexOf('-->', next + 4);
      if (end === -1) throw new EcbRatesError('a comment is not closed with "-->"', scanner.line);
      scanner.advanceTo(end + 3);
    } else if (xml.startsWith('<!', next) || xml.startsWith('<?', next)) {
      throw new EcbRatesError('DTDs, CDATA sections and processing instructions are not part of an ECB rates file', scanner.line);
    } else if (xml.startsWith('</', next)) {
      const { tag, line } = scanner.takeTag();
      const name = endTagPattern.exec(tag)?.[1];
      if (name === undefined) throw new EcbRatesError(`malformed end tag ${tag}`, line);
      const element = open.pop();
      if (!element) throw new EcbRatesError(`</${name}> closes no element`, line);
      if (element.name !== name) throw new EcbRatesError(`</${name}> closes <${element.name}> opened on line ${element.line}`, line);
    } else {
      const { tag, line } = scanner.takeTag();
      const match = startTagPattern.exec(tag);
      if (!match) throw new EcbRatesError(`malformed tag ${tag.slice(0, 80)}`, line);
      const element: XmlElement = { name: match[1]!, attributes: readAttributes(match[2]!, line), children: [], line };
      const parent = open.at(-1);
      if (parent) parent.children.push(element);
      else if (root) throw new EcbRatesError(`<${element.name}> follows the root element, which closed before it`, line);
      else root = checkRoot(element);
      if (match[3] !== '/') open.push(element);
      if (open.length > elementDepthMax) throw new EcbRatesError(`<${element.name}> is nested deeper than an ECB rates file goes`, line);
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) throw new EcbRatesError(`<${unclosed.name}> is never closed: the file ends first`, unclosed.line);
  if (!root) throw new EcbRatesError('the file holds no XML element: it is not an ECB rates file', scanner.line);
  return root;
}

// ---- The ECB layer: envelope, days and rates. ----

function expectAttributes(element: XmlElement, names: readonly string[], what: string): void {
  for (const name of element.attributes.keys()) {
    if (!names.includes(name)) throw new EcbRatesError(`${what} has an unexpected attribute ${name}`, element.line);
  }
  for (const name of names) {
    if (!element.attributes.has(name)) throw new EcbRatesError(`${what} lacks the attribute ${name}`, element.line);
  }
}

function expectNoChildren(element: XmlElement, what: string): void {
  const child = element.children[0];
  if (child) throw new EcbRatesError(`unexpected <${child.name}> inside ${what}`, child.line);
}

/** Checked as soon as the root opens, so another kind of document is named as such rather
 * than refused for some detail further down. */
function checkRoot(root: XmlElement): XmlElement {
  if (root.name !== 'gesmes:Envelope') {
    throw new EcbRatesError(`the root element is <${root.name}>, not <gesmes:Envelope>: this is not an ECB euro reference rates file`, root.line);
  }
  return root;
}

function readEnvelope(root: XmlElement, limits: EcbLimits): EcbDay[] {
  if (root.attributes.get('xmlns:gesmes') !== gesmesNamespace || root.attributes.get('xmlns') !== eurofxrefNamespace) {
    throw new EcbRatesError(`<gesmes:Envelope> must declare xmlns:gesmes="${gesmesNamespace}" and xmlns="${eurofxrefNamespace}"`, root.line);
  }
  let rates: XmlElement | undefined;
  for (const child of root.children) {
    if (child.name === 'gesmes:subject') expectNoChildren(child, '<gesmes:subject>');
    else if (child.name === 'gesmes:Sender') {
      for (const part of child.children) {
        if (part.name !== 'gesmes:name') throw new EcbRatesError(`unexpected <${part.name}> inside <gesmes:Sender>`, part.line);
        expectNoChildren(part, '<gesmes:name>');
      }
    } else if (child.name === 'Cube') {
      if (rates) throw new EcbRatesError(`a second <Cube> of rates; the first is on line ${rates.line}`, child.line);
      rates = child;
    } else throw new EcbRatesError(`unexpected <${child.name}> inside <gesmes:Envelope>`, child.line);
  }
  if (!rates) throw new EcbRatesError('<gesmes:Envelope> holds no <Cube> of rates', root.line);
  expectAttributes(rates, [], 'the outer <Cube>');
  if (rates.children.length === 0) throw new EcbRatesError('the file holds no day of rates', rates.line);

  const days: EcbDay[] = [];
  const dayLines = new Map<string, number>();
  for (const element of rates.children) {
    if (days.length === limits.daysMax) {
      throw new EcbRatesError(`more than ${limits.daysMax} days of rates in one file`, element.line, 'payload_too_large');
    }
    const day = readDay(element, limits);
    const firstLine = dayLines.get(day.date);
    if (firstLine !== undefined) throw new EcbRatesError(`the day ${day.date} appears twice; first on line ${firstLine}`, element.line);
    dayLines.set(day.date, element.line);
    days.push(day);
  }
  return days;
}

function readDay(element: XmlElement, limits: EcbLimits): EcbDay {
  if (element.name !== 'Cube') throw new EcbRatesError(`unexpected <${element.name}> where a day's <Cube time='...'> belongs`, element.line);
  expectAttributes(element, ['time'], "a day's <Cube>");
  const date = element.attributes.get('time')!;
  if (!isCalendarDate(date)) throw new EcbRatesError(`"${date}" is not a date in the form YYYY-MM-DD`, element.line);
  if (element.children.length === 0) throw new EcbRatesError(`the day ${date} has no rates`, element.line);
  if (element.children.length > limits.ratesPerDayMax) {
    throw new EcbRatesError(`the day ${date} has more than ${limits.ratesPerDayMax} rates`, element.line, 'payload_too_large');
  }
  const rates: EcbRate[] = [];
  const currencyLines = new Map<string, number>();
  for (const child of element.children) {
    const rate = readRate(child, date);
    const firstLine = currencyLines.get(rate.currency);
    if (firstLine !== undefined) throw new EcbRatesError(`${rate.currency} appears twice on ${date}; first on line ${firstLine}`, child.line);
    currencyLines.set(rate.currency, child.line);
    rates.push(rate);
  }
  return { date, rates };
}

function readRate(element: XmlElement, date: string): EcbRate {
  if (element.name !== 'Cube') throw new EcbRatesError(`unexpected <${element.name}> inside the day ${date}`, element.line);
  expectAttributes(element, ['currency', 'rate'], 'a rate <Cube>');
  expectNoChildren(element, 'a rate <Cube>');
  const currency = element.attributes.get('currency')!;
  const rate = element.attributes.get('rate')!;
  if (!isCurrency(currency)) throw new EcbRatesError(`"${currency}" is not an ISO 4217 currency code Outlay supports`, element.line);
  if (currency === 'EUR') throw new EcbRatesError('a rate for EUR: the euro is the base of every ECB rate', element.line);
  const checked = checkRate(rate);
  if (!checked.ok) throw new EcbRatesError(`the rate of ${currency}: ${checked.problem}`, element.line);
  return { currency, rate };
}
