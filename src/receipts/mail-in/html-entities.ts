/**
 * Character references in HTML text (WHATWG HTML 13.2.5.72-80), for turning receipt e-mails
 * into text. Not the full table of 2,231 names: the ISO 8859-1 set and the punctuation and
 * symbols shops actually write. An unknown name stays as written, as a browser leaves it.
 */

/** HTML 4's ISO 8859-1 entities, in code point order from U+00A0. */
const latin1Names = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr ' +
  'deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ' +
  'ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml ' +
  'eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');
if (latin1Names.length !== 0x100 - 0xa0) throw new Error('the ISO 8859-1 entity list must cover U+00A0 to U+00FF');

const otherNames: Record<string, number> = {
  quot: 0x22, amp: 0x26, apos: 0x27, lt: 0x3c, gt: 0x3e,
  excl: 0x21, num: 0x23, dollar: 0x24, percnt: 0x25, lpar: 0x28, rpar: 0x29, ast: 0x2a, plus: 0x2b,
  comma: 0x2c, period: 0x2e, sol: 0x2f, colon: 0x3a, semi: 0x3b, equals: 0x3d, quest: 0x3f,
  commat: 0x40, lsqb: 0x5b, bsol: 0x5c, rsqb: 0x5d, lowbar: 0x5f, verbar: 0x7c, Tab: 0x09, NewLine: 0x0a,
  OElig: 0x152, oelig: 0x153, Scaron: 0x160, scaron: 0x161, Yuml: 0x178, fnof: 0x192, circ: 0x2c6, tilde: 0x2dc,
  ensp: 0x2002, emsp: 0x2003, thinsp: 0x2009, zwnj: 0x200c, zwj: 0x200d, lrm: 0x200e, rlm: 0x200f,
  dash: 0x2010, hyphen: 0x2010, ndash: 0x2013, mdash: 0x2014, lsquo: 0x2018, rsquo: 0x2019, sbquo: 0x201a,
  ldquo: 0x201c, rdquo: 0x201d, bdquo: 0x201e, dagger: 0x2020, Dagger: 0x2021, bull: 0x2022, hellip: 0x2026,
  permil: 0x2030, prime: 0x2032, Prime: 0x2033, lsaquo: 0x2039, rsaquo: 0x203a, oline: 0x203e, euro: 0x20ac,
  trade: 0x2122, larr: 0x2190, uarr: 0x2191, rarr: 0x2192, darr: 0x2193, harr: 0x2194, minus: 0x2212,
  lowast: 0x2217, asymp: 0x2248, ne: 0x2260, le: 0x2264, ge: 0x2265, infin: 0x221e, check: 0x2713,
};

const namedCodePoints = new Map<string, number>([
  ...latin1Names.map((name, index): [string, number] => [name, 0xa0 + index]),
  ...Object.entries(otherNames),
]);

/** Names a browser also reads without the closing ";" (the legacy ones of WHATWG's table). */
const legacyNames = new Set([...latin1Names, 'amp', 'lt', 'gt', 'quot', 'AMP', 'LT', 'GT', 'QUOT', 'COPY', 'REG']);
const upperLegacy: Record<string, string> = { AMP: 'amp', LT: 'lt', GT: 'gt', QUOT: 'quot', COPY: 'copy', REG: 'reg' };

/**
 * Numeric references to 0x80-0x9F mean windows-1252, as old shop systems wrote them
 * (WHATWG HTML 13.2.5.80, "numeric character reference end state").
 */
const windows1252: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x2c6, 0x89: 0x2030, 0x8a: 0x160, 0x8b: 0x2039, 0x8c: 0x152, 0x8e: 0x17d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x2dc,
  0x99: 0x2122, 0x9a: 0x161, 0x9b: 0x203a, 0x9c: 0x153, 0x9e: 0x17e, 0x9f: 0x178,
};

const replacementCharacter = '\ufffd';

function fromNumber(codePoint: number): string {
  if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return replacementCharacter;
  return String.fromCodePoint(windows1252[codePoint] ?? codePoint);
}

const referencePattern = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([a-zA-Z][a-zA-Z0-9]{0,31}))(;?)/g;

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(referencePattern, (reference, decimal?: string, hex?: string, name?: string, semicolon?: string) => {
    if (decimal !== undefined) return fromNumber(Number(decimal));
    if (hex !== undefined) return fromNumber(parseInt(hex, 16));
    if (name === undefined) return reference;
    if (!semicolon && !legacyNames.has(name)) return reference;
    const codePoint = namedCodePoints.get(upperLegacy[name] ?? name);
    return codePoint === undefined ? reference : String.fromCodePoint(codePoint);
  });
}
