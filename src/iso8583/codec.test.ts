import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from './codec.js';
import { fieldSpecs, type FieldSpec } from './fields.js';
import { Iso8583FormatError } from './format-error.js';
import type { Iso8583Message } from './message.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const ascii = (text: string) => Buffer.from(text, 'latin1');

/** A network echo test: fields 7, 11 and 70, so a secondary bitmap. */
const echo: Iso8583Message = { mti: '0800', fields: { 7: '1120100000', 11: '000042', 70: '301' } };
const echoBytes = Buffer.concat([ascii('0800'), hex('82200000 00000000 04000000 00000000'), ascii('1120100000' + '000042' + '301')]);

function decodeError(bytes: Uint8Array): Iso8583FormatError {
  const result = decodeMessage(bytes);
  if (result.ok) throw new Error(`expected a format error, got ${JSON.stringify(result.message)}`);
  return result.error;
}

function encodeError(message: Iso8583Message): Iso8583FormatError {
  try {
    encodeMessage(message);
  } catch (error) {
    if (error instanceof Iso8583FormatError) return error;
    throw error;
  }
  throw new Error('expected a format error');
}

describe('ISO 8583 codec', () => {
  it('writes the MTI, both bitmaps and the fields in order, and reads them back', () => {
    expect(encodeMessage(echo).equals(echoBytes)).toBe(true);
    expect(decodeMessage(echoBytes)).toEqual({ ok: true, message: echo });
  });

  it('writes no secondary bitmap when no field above 64 is present', () => {
    const bytes = encodeMessage({ mti: '0110', fields: { 39: '00', 11: '000001' } });
    expect(bytes.subarray(4, 12).equals(hex('00200000 02000000'))).toBe(true);
    expect(bytes.subarray(12).toString('latin1')).toBe('000001' + '00');
  });

  it('prefixes variable fields with their length: two digits for LLVAR, three for LLLVAR', () => {
    const bytes = encodeMessage({ mti: '0100', fields: { 2: '4000001234567899', 48: 'AB' } });
    expect(bytes.subarray(12).toString('latin1')).toBe('164000001234567899' + '002AB');
  });

  it('reads and writes binary fields as bytes, shown as upper-case hex', () => {
    const message = { mti: '0100', fields: { 52: '0123456789ABCDEF', 55: '9F2608C1' } };
    const bytes = encodeMessage(message);
    expect(bytes.subarray(12).equals(Buffer.concat([hex('0123456789abcdef'), ascii('004'), hex('9f2608c1')]))).toBe(true);
    expect(decodeMessage(bytes)).toEqual({ ok: true, message });
  });

  it('accepts a secondary bitmap with no bit set, as some writers always send one', () => {
    const bytes = Buffer.concat([ascii('0800'), hex('80200000 00000000 00000000 00000000'), ascii('000042')]);
    expect(decodeMessage(bytes)).toEqual({ ok: true, message: { mti: '0800', fields: { 11: '000042' } } });
  });

  // One row a fault, in the order the decoder meets them: where it is and what it says.
  const faults: [string, Buffer, { offset: number; field: number; reason: RegExp; mti: string | null }][] = [
    ['an empty message', Buffer.alloc(0), { offset: 0, field: 0, reason: /fewer than the 4/, mti: null }],
    ['an MTI of letters', ascii('01X0'), { offset: 2, field: 0, reason: /not "X"/, mti: null }],
    ['an ISO 8583:1993 MTI', ascii('1100'), { offset: 0, field: 0, reason: /version 1/, mti: '1100' }],
    ['a truncated primary bitmap', Buffer.concat([ascii('0100'), hex('7020')]), { offset: 4, field: 1, reason: /only 2 remain/, mti: '0100' }],
    ['a missing secondary bitmap', Buffer.concat([ascii('0800'), hex('82200000 00000000')]), { offset: 12, field: 1, reason: /secondary bitmap/, mti: '0800' }],
    ['a tertiary bitmap bit', Buffer.concat([ascii('0800'), hex('80000000 00000000 80000000 00000000')]), { offset: 12, field: 1, reason: /bit 65/, mti: '0800' }],
    ['a length prefix of letters', Buffer.concat([ascii('0100'), hex('40000000 00000000'), ascii('1A4000')]), { offset: 13, field: 2, reason: /length prefix/, mti: '0100' }],
    ['a length over the maximum', Buffer.concat([ascii('0100'), hex('40000000 00000000'), ascii('20' + '4'.repeat(20))]), { offset: 12, field: 2, reason: /exceeds the field's maximum of 19/, mti: '0100' }],
    ['a field past the end', Buffer.concat([ascii('0100'), hex('30000000 00000000'), ascii('000000' + '00000012')]), { offset: 18, field: 4, reason: /12 characters, only 8 bytes remain/, mti: '0100' }],
    ['a letter in a numeric field', Buffer.concat([ascii('0100'), hex('30000000 00000000'), ascii('000000' + '0000000012O0')]), { offset: 28, field: 4, reason: /type n holds digits, not "O"/, mti: '0100' }],
    ['a control byte in an ans field', Buffer.concat([ascii('0100'), hex('00000000 00800000'), ascii('TERM'), hex('00'), ascii('001')]), { offset: 16, field: 41, reason: /byte 0x00/, mti: '0100' }],
    ['bytes after the last field', Buffer.concat([ascii('0100'), hex('00200000 00000000'), ascii('000001XY')]), { offset: 18, field: 1, reason: /2 bytes follow/, mti: '0100' }],
  ];

  it.each(faults)('says where the fault is in %s', (_name, bytes, expected) => {
    const error = decodeError(bytes);
    expect({ offset: error.offset, field: error.field, mti: error.mti }).toEqual({ offset: expected.offset, field: expected.field, mti: expected.mti });
    expect(error.reason).toMatch(expected.reason);
  });

  it('keeps the fields read before the fault, so an answer can echo them', () => {
    const bytes = Buffer.concat([ascii('0100'), hex('00200000 02000000'), ascii('000077' + '0!')]);
    const error = decodeError(bytes);
    expect(error.partial).toEqual({ mti: '0100', fields: { 11: '000077' } });
    expect(error.message).toBe('field 39 at byte 19: a field of type an holds letters, digits and spaces, not "!"');
  });

  const refusals: [string, Iso8583Message, RegExp][] = [
    ['an MTI of three digits', { mti: '100', fields: {} }, /MTI/],
    ['a fixed field of the wrong length', { mti: '0100', fields: { 3: '00000' } }, /exactly 6 characters, not 5/],
    ['a variable field over its maximum', { mti: '0100', fields: { 2: '4'.repeat(20) } }, /at most 19/],
    ['a letter in a numeric field', { mti: '0100', fields: { 4: '00000000012A' } }, /type n/],
    ['odd hex in a binary field', { mti: '0100', fields: { 52: '0123456789ABCDE' } }, /hex/],
    ['the bitmap as a field', { mti: '0100', fields: { 1: '00' } }, /not a field/],
    ['field 65', { mti: '0100', fields: { 65: '00' } }, /not a field/],
    ['a non-ASCII character', { mti: '0100', fields: { 43: 'Café'.padEnd(40) } }, /printable ASCII/],
  ];

  it.each(refusals)('refuses to write %s', (_name, message, reason) => {
    expect(encodeError(message).reason).toMatch(reason);
  });
});

// --- Properties ------------------------------------------------------------------------------

const charsets: Record<Exclude<FieldSpec['type'], 'b' | 'xn'>, string> = {
  n: '0123456789',
  an: 'ABCXYZabcxyz0189 ',
  ans: ' !"#*-./09:;@AZ[\\]_`az{|}~',
  ns: ' !#*-./0189:;@[]_{}~',
  z: '0123456789=D;?',
};

function valueOf(spec: FieldSpec): fc.Arbitrary<string> {
  const fixed = spec.length === 'fixed';
  const minLength = fixed ? spec.lengthMax : 0;
  if (spec.type === 'b') return fc.uint8Array({ minLength, maxLength: spec.lengthMax }).map((bytes) => Buffer.from(bytes).toString('hex').toUpperCase());
  if (spec.type === 'xn') return fc.tuple(fc.constantFrom('C', 'D'), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: spec.lengthMax - 1, maxLength: spec.lengthMax - 1 })).map(([sign, digits]) => sign + digits);
  return fc.string({ unit: fc.constantFrom(...charsets[spec.type]), minLength, maxLength: spec.lengthMax });
}

const messageArbitrary: fc.Arbitrary<Iso8583Message> = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 3, maxLength: 3 }),
    fc.subarray([...fieldSpecs.values()]).chain((specs) => fc.tuple(...specs.map((spec) => valueOf(spec).map((value) => [spec.number, value] as const)))),
  )
  .map(([digits, entries]) => ({ mti: `0${digits}`, fields: Object.fromEntries(entries) }));

/** Bytes that pass the MTI and the bitmap often, so the fuzzing reaches the fields. */
const plausibleBytes = fc
  .tuple(fc.constantFrom('0100', '0800', '0400', '0110'), fc.uint8Array({ minLength: 0, maxLength: 16 }), fc.uint8Array({ maxLength: 400 }))
  .map(([mti, bitmap, rest]) => Buffer.concat([ascii(mti), bitmap, rest]));

function decodesWithoutThrowing(bytes: Uint8Array): boolean {
  const result = decodeMessage(bytes);
  return result.ok ? typeof result.message.mti === 'string' : result.error instanceof Iso8583FormatError;
}

describe('ISO 8583 codec properties', () => {
  it('never throws on random bytes, only answers a message or a format error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), decodesWithoutThrowing), { numRuns: 2000 });
    fc.assert(fc.property(plausibleBytes, decodesWithoutThrowing), { numRuns: 5000 });
  });

  it('never throws on a valid message with one byte changed or cut short', () => {
    fc.assert(
      fc.property(messageArbitrary, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (message, at, byte, truncate) => {
        const bytes = encodeMessage(message);
        const changed = truncate ? bytes.subarray(0, at % (bytes.length + 1)) : Buffer.from(bytes).fill(byte, at % bytes.length, (at % bytes.length) + 1);
        return decodesWithoutThrowing(changed);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back every valid message it writes, and writes the same bytes again', () => {
    fc.assert(
      fc.property(messageArbitrary, (message) => {
        const bytes = encodeMessage(message);
        const decoded = decodeMessage(bytes);
        expect(decoded).toEqual({ ok: true, message });
        expect(decoded.ok && encodeMessage(decoded.message).equals(bytes)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
