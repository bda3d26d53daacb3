import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EcbRatesError, ecbLimits, parseEcbRates } from './ecb-rates.js';

const sample = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

// A file whose day lines start on line 6.
const header = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">',
  '\t<gesmes:subject>Reference rates</gesmes:subject>',
  '\t<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>',
  '\t<Cube>',
];
const footer = ['\t</Cube>', '</gesmes:Envelope>'];
const ecbFile = (...dayLines: string[]) => [...header, ...dayLines, ...footer].join('\n') + '\n';
const oneRate = (rateLine: string) => ecbFile("\t\t<Cube time='2026-11-20'>", `\t\t\t${rateLine}`, '\t\t</Cube>');

function parseError(xml: string, limits = ecbLimits): EcbRatesError {
  try {
    parseEcbRates(xml, limits);
  } catch (error) {
    if (error instanceof EcbRatesError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('parseEcbRates', () => {
  it('reads the daily file: one day, every currency, rates as the exact strings written', () => {
    const days = parseEcbRates(sample('eurofxref-daily.xml'));
    expect(days).toHaveLength(1);
    expect(days[0]!.date).toBe('2026-11-20');
    expect(days[0]!.rates).toHaveLength(29);
    expect(days[0]!.rates[0]).toEqual({ currency: 'USD', rate: '1.0546' });
    expect(days[0]!.rates).toContainEqual({ currency: 'SEK', rate: '11.2140' });
    expect(days[0]!.rates).toContainEqual({ currency: 'IDR', rate: '16874.52' });
    expect(days[0]!.rates.every((rate) => typeof rate.rate === 'string')).toBe(true);
  });

  it('reads the history file: days in file order, newest first', () => {
    const days = parseEcbRates(sample('eurofxref-hist.xml'));
    expect(days.map((day) => day.date)).toEqual(['2026-11-20', '2026-11-19', '2026-11-18']);
    expect(days.map((day) => day.rates.length)).toEqual([29, 29, 29]);
    expect(days[1]!.rates.find((rate) => rate.currency === 'USD')).toEqual({ currency: 'USD', rate: '1.0557' });
  });

  it('accepts double quotes, comments, a byte order mark, CRLF line ends and a file on one line', () => {
    const oneLine = ecbFile('<!-- cached copy -->', '<Cube time="2026-11-20">', '<Cube currency="USD" rate="1.0546"/><Cube currency="JPY" rate="163.45"></Cube>', '</Cube>')
      .replaceAll('\n', '');
    expect(parseEcbRates(oneLine)).toEqual([{ date: '2026-11-20', rates: [{ currency: 'USD', rate: '1.0546' }, { currency: 'JPY', rate: '163.45' }] }]);
    expect(parseEcbRates('\uFEFF' + oneRate("<Cube currency='USD' rate='1.0546'/>").replaceAll('\n', '\r\n'))).toHaveLength(1);
    expect(parseEcbRates(sample('eurofxref-daily.xml') + '<!-- Cache: 20 November 2026 16:00 -->\n')).toHaveLength(1);
  });

  it('counts lines inside tags that span several lines', () => {
    const error = parseError(ecbFile("\t\t<Cube\n\t\t\ttime='2026-11-20'>", "\t\t\t<Cube currency='USD'\n\t\t\t\trate='x'/>", '\t\t</Cube>'));
    expect(error.line).toBe(8);
  });

  it.each([
    ['a rate that is not a decimal', oneRate("<Cube currency='USD' rate='abc'/>"), 7, 'the rate of USD: "abc" is not a positive decimal'],
    ['a negative rate', oneRate("<Cube currency='USD' rate='-1.0546'/>"), 7, 'not a positive decimal'],
    ['a zero rate', oneRate("<Cube currency='USD' rate='0.0000'/>"), 7, 'is zero'],
    ['a rate in exponent notation', oneRate("<Cube currency='USD' rate='1.0546e0'/>"), 7, 'not a positive decimal'],
    ['a decimal comma', oneRate("<Cube currency='USD' rate='1,0546'/>"), 7, 'not a positive decimal'],
    ['an empty rate', oneRate("<Cube currency='USD' rate=''/>"), 7, 'not a positive decimal'],
    ['a rate with 11 decimals', oneRate("<Cube currency='USD' rate='1.05460000001'/>"), 7, '11 decimals'],
    ['an unknown currency code', oneRate("<Cube currency='XYZ' rate='1.05'/>"), 7, '"XYZ" is not an ISO 4217 currency code'],
    ['a currency code in lower case', oneRate("<Cube currency='usd' rate='1.05'/>"), 7, '"usd" is not an ISO 4217'],
    ['a rate for the euro itself', oneRate("<Cube currency='EUR' rate='1'/>"), 7, 'the euro is the base'],
    ['a rate without its rate attribute', oneRate("<Cube currency='USD'/>"), 7, 'lacks the attribute rate'],
    ['a rate with an unexpected attribute', oneRate("<Cube currency='USD' rate='1.05' note='x'/>"), 7, 'unexpected attribute note'],
    ['a rate with an attribute twice', oneRate("<Cube currency='USD' rate='1.05' rate='1.06'/>"), 7, 'rate appears twice'],
    ['an unquoted attribute', oneRate('<Cube currency=USD rate=1.05/>'), 7, 'malformed tag'],
    ['an element other than Cube in a day', oneRate("<Rate currency='USD' rate='1.05'/>"), 7, 'unexpected <Rate> inside the day 2026-11-20'],
    ['text in a day', oneRate('USD 1.0546'), 7, 'unexpected text "USD 1.0546" inside <Cube>'],
    ['a currency twice in one day', ecbFile("<Cube time='2026-11-20'>", "<Cube currency='USD' rate='1.05'/>", "<Cube currency='USD' rate='1.06'/>", '</Cube>'), 8, 'USD appears twice on 2026-11-20; first on line 7'],
    ['an impossible date', ecbFile("<Cube time='2026-02-30'>", "<Cube currency='USD' rate='1.05'/>", '</Cube>'), 6, '"2026-02-30" is not a date'],
    ['a date without its leading zero', ecbFile("<Cube time='2026-11-2'>", "<Cube currency='USD' rate='1.05'/>", '</Cube>'), 6, 'is not a date'],
    ['a date with a time', ecbFile("<Cube time='2026-11-20T16:00'>", "<Cube currency='USD' rate='1.05'/>", '</Cube>'), 6, 'is not a date'],
    ['a day without its time', ecbFile('<Cube>', "<Cube currency='USD' rate='1.05'/>", '</Cube>'), 6, 'lacks the attribute time'],
    ['a day twice', ecbFile("<Cube time='2026-11-20'>", "<Cube currency='USD' rate='1.05'/>", '</Cube>', "<Cube time='2026-11-20'>", "<Cube currency='USD' rate='1.05'/>", '</Cube>'), 9, 'the day 2026-11-20 appears twice; first on line 6'],
    ['a day without rates', ecbFile("<Cube time='2026-11-20'/>"), 6, 'the day 2026-11-20 has no rates'],
    ['no day at all', ecbFile(), 5, 'no day of rates'],
    ['an end tag closing the wrong element', ecbFile("<Cube time='2026-11-20'>", "<Cube currency='USD' rate='1.05'/>", '</Day>'), 8, '</Day> closes <Cube> opened on line 6'],
    ['an element never closed', ecbFile("<Cube time='2026-11-20'>", "<Cube currency='USD' rate='1.05'/>", '</Cube>').replace('</gesmes:Envelope>\n', ''), 2, '<gesmes:Envelope> is never closed: the file ends first'],
    ['an end tag missing', ecbFile("<Cube time='2026-11-20'>", "<Cube currency='USD' rate='1.05'/>"), 9, '</gesmes:Envelope> closes <Cube> opened on line 5'],
    ['an element after the root', ecbFile("<Cube time='2026-11-20'>", "<Cube currency='USD' rate='1.05'/>", '</Cube>') + '<Cube/>\n', 11, 'follows the root element'],
    ['a second outer Cube', [...header, "<Cube time='2026-11-20'><Cube currency='USD' rate='1.05'/></Cube>", '</Cube>', '<Cube>', '</Cube>', '</gesmes:Envelope>'].join('\n'), 8, 'a second <Cube> of rates; the first is on line 5'],
    ['a DTD', '<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY lol "lol">]>\n' + ecbFile().split('\n').slice(1).join('\n'), 2, 'DTDs, CDATA sections and processing instructions'],
    ['an encoding other than UTF-8', oneRate("<Cube currency='USD' rate='1.05'/>").replace('UTF-8', 'ISO-8859-1'), 1, 'declares encoding "ISO-8859-1"'],
    ['another XML document', '<?xml version="1.0"?>\n<html><body>rates</body></html>\n', 2, 'the root element is <html>, not <gesmes:Envelope>'],
    ['an envelope of another vocabulary', oneRate("<Cube currency='USD' rate='1.05'/>").replace('eurofxref"', 'other"'), 2, 'must declare xmlns:gesmes='],
    ['an unknown element in the envelope', oneRate("<Cube currency='USD' rate='1.05'/>").replace('<gesmes:subject>Reference rates</gesmes:subject>', '<gesmes:note/>'), 3, 'unexpected <gesmes:note> inside <gesmes:Envelope>'],
    ['text that is not XML', 'USD,1.0546\nJPY,163.45\n', 1, 'unexpected text'],
    ['an empty file', '', 1, 'holds no XML element'],
    ['a tag left open', oneRate("<Cube currency='USD' rate='1.05'").split('\n').slice(0, 7).join('\n'), 7, 'not closed with ">"'],
  ])('refuses %s, naming the line', (_case, xml, line, message) => {
    const error = parseError(xml);
    expect(error).toMatchObject({ code: 'validation_failed', line });
    expect(error.message).toContain(`line ${line}: `);
    expect(error.message).toContain(message);
  });

  it('refuses a file longer than the limit before reading it', () => {
    const xml = sample('eurofxref-daily.xml');
    expect(parseError(xml, { ...ecbLimits, bytesMax: xml.length - 1 })).toMatchObject({ code: 'payload_too_large', line: 1 });
    expect(parseEcbRates(xml, { ...ecbLimits, bytesMax: xml.length })).toHaveLength(1);
  });

  it('refuses more days than the limit, naming the first day too many', () => {
    const error = parseError(sample('eurofxref-hist.xml'), { ...ecbLimits, daysMax: 2 });
    expect(error).toMatchObject({ code: 'payload_too_large', line: 70 });
    expect(error.message).toContain('more than 2 days');
    expect(parseEcbRates(sample('eurofxref-hist.xml'), { ...ecbLimits, daysMax: 3 })).toHaveLength(3);
  });

  it('refuses more rates in a day than the limit', () => {
    const error = parseError(sample('eurofxref-daily.xml'), { ...ecbLimits, ratesPerDayMax: 28 });
    expect(error).toMatchObject({ code: 'payload_too_large', line: 8 });
    expect(error.message).toContain('more than 28 rates');
  });
});
