// ISO 8583:1987 messages to bytes and back: a 4-digit ASCII MTI, an 8-byte binary primary
// bitmap, an 8-byte secondary bitmap when bit 1 says so (fields 65-128), then the fields in
// ascending order, text in ASCII, each variable field behind its ASCII length prefix.
//
// Decoding never throws: any input gives a message or an Iso8583FormatError saying where it
// went wrong. Encoding refuses a message it could not write faithfully with the same error.
import { bitmapField, Iso8583FormatError, mtiField } from './format-error.js';
import { fieldSpecs, firstMisfit, lengthPrefixDigits, typeDescription, type FieldSpec } from './fields.js';
import type { Iso8583Message } from './message.js';

export const mtiBytes = 4;
export const bitmapBytes = 8;
/** Bit 65 would announce a third bitmap, which 1987 messages do not have. */
const tertiaryBitmapBit = 65;

export type DecodeResult = { ok: true; message: Iso8583Message } | { ok: false; error: Iso8583FormatError };

const fail = (error: Iso8583FormatError): DecodeResult => ({ ok: false, error });

/** A byte as the error shows it: the character when printable, else its hex value. */
function showByte(code: number | undefined): string {
  if (code === undefined) return 'nothing';
  return code >= 0x21 && code <= 0x7e ? `"${String.fromCharCode(code)}"` : `byte 0x${code.toString(16).padStart(2, '0')}`;
}

/** The numbers of the bits set in `bitmap`, bit 1 being the high bit of its first byte. */
function bitsOf(bitmap: Uint8Array, firstBit: number): number[] {
  const bits: number[] = [];
  for (let i = 0; i < bitmap.length * 8; i++) {
    if ((bitmap[i >> 3]! & (0x80 >> (i & 7))) !== 0) bits.push(firstBit + i);
  }
  return bits;
}

function readMti(bytes: Uint8Array): string | Iso8583FormatError {
  if (bytes.length < mtiBytes) return new Iso8583FormatError(0, mtiField, `the message has ${bytes.length} bytes, fewer than the ${mtiBytes} of an MTI`);
  for (let i = 0; i < mtiBytes; i++) {
    const code = bytes[i]!;
    if (code < 0x30 || code > 0x39) return new Iso8583FormatError(i, mtiField, `the MTI is 4 ASCII digits, not ${showByte(code)}`);
  }
  const mti = Buffer.from(bytes.subarray(0, mtiBytes)).toString('latin1');
  if (mti[0] !== '0') return new Iso8583FormatError(0, mtiField, `version ${mti[0]} is not ISO 8583:1987 (version 0)`, { mti, fields: {} });
  return mti;
}

/** The field numbers the bitmaps announce, in order, and where the first field starts. */
function readBitmaps(bytes: Uint8Array, partial: Iso8583Message): { fields: number[]; offset: number } | Iso8583FormatError {
  const primaryEnd = mtiBytes + bitmapBytes;
  if (bytes.length < primaryEnd) {
    return new Iso8583FormatError(mtiBytes, bitmapField, `the primary bitmap has ${bitmapBytes} bytes, only ${bytes.length - mtiBytes} remain`, partial);
  }
  const bits = bitsOf(bytes.subarray(mtiBytes, primaryEnd), 1);
  if (bits[0] !== 1) return { fields: bits, offset: primaryEnd };
  const secondaryEnd = primaryEnd + bitmapBytes;
  if (bytes.length < secondaryEnd) {
    return new Iso8583FormatError(primaryEnd, bitmapField, `bit 1 announces a secondary bitmap of ${bitmapBytes} bytes, only ${bytes.length - primaryEnd} remain`, partial);
  }
  const secondary = bitsOf(bytes.subarray(primaryEnd, secondaryEnd), 65);
  if (secondary[0] === tertiaryBitmapBit) {
    return new Iso8583FormatError(primaryEnd, bitmapField, 'bit 65 announces a tertiary bitmap, which ISO 8583:1987 messages do not have', partial);
  }
  return { fields: [...bits.slice(1), ...secondary], offset: secondaryEnd };
}

/** One field at `offset`: its value and where the next field starts. */
function readField(bytes: Uint8Array, offset: number, spec: FieldSpec, partial: Iso8583Message): { value: string; next: number } | Iso8583FormatError {
  const failAt = (at: number, reason: string) => new Iso8583FormatError(at, spec.number, reason, partial);
  let at = offset;
  let length = spec.lengthMax;
  const digits = lengthPrefixDigits(spec.length);
  if (digits > 0) {
    if (bytes.length - at < digits) return failAt(at, `the length prefix has ${digits} digits, only ${bytes.length - at} bytes remain`);
    for (let i = 0; i < digits; i++) {
      const code = bytes[at + i]!;
      if (code < 0x30 || code > 0x39) return failAt(at + i, `the length prefix is ${digits} ASCII digits, not ${showByte(code)}`);
    }
    length = Number(Buffer.from(bytes.subarray(at, at + digits)).toString('latin1'));
    if (length > spec.lengthMax) return failAt(at, `the length ${length} exceeds the field's maximum of ${spec.lengthMax}`);
    at += digits;
  }
  const unit = spec.type === 'b' ? 'bytes' : 'characters';
  if (bytes.length - at < length) return failAt(at, `the field has ${length} ${unit}, only ${bytes.length - at} bytes remain`);
  const raw = Buffer.from(bytes.subarray(at, at + length));
  if (spec.type === 'b') return { value: raw.toString('hex').toUpperCase(), next: at + length };
  const value = raw.toString('latin1');
  const misfit = firstMisfit(spec.type, value);
  if (misfit >= 0) return failAt(at + misfit, `a field of type ${spec.type} holds ${typeDescription(spec.type)}, not ${showByte(raw[misfit])}`);
  return { value, next: at + length };
}

export function decodeMessage(bytes: Uint8Array): DecodeResult {
  const mti = readMti(bytes);
  if (typeof mti !== 'string') return fail(mti);
  const fields: Record<number, string> = {};
  const partial: Iso8583Message = { mti, fields };
  const bitmaps = readBitmaps(bytes, partial);
  if (bitmaps instanceof Iso8583FormatError) return fail(bitmaps);
  let offset = bitmaps.offset;
  for (const number of bitmaps.fields) {
    const spec = fieldSpecs.get(number);
    if (!spec) return fail(new Iso8583FormatError(offset, number, 'the bitmap announces a field this codec does not know, so its length is unknown', partial));
    const field = readField(bytes, offset, spec, partial);
    if (field instanceof Iso8583FormatError) return fail(field);
    fields[number] = field.value;
    offset = field.next;
  }
  if (offset !== bytes.length) {
    return fail(new Iso8583FormatError(offset, bitmapField, `${bytes.length - offset} bytes follow the last field the bitmap announces`, partial));
  }
  return { ok: true, message: { mti, fields } };
}

// --- Writing ------------------------------------------------------------------------------

const hexPattern = /^(?:[0-9A-Fa-f]{2})*$/;

/** A field's bytes, length prefix included; throws when the value does not fit its spec. */
function writeField(spec: FieldSpec, value: string, offset: number): Buffer {
  const failWith = (reason: string) => new Iso8583FormatError(offset, spec.number, reason);
  let data: Buffer;
  if (spec.type === 'b') {
    if (!hexPattern.test(value)) throw failWith('a binary field is written as hex, two digits a byte');
    data = Buffer.from(value, 'hex');
  } else {
    const misfit = firstMisfit(spec.type, value);
    if (misfit >= 0) throw failWith(`a field of type ${spec.type} holds ${typeDescription(spec.type)}, not ${JSON.stringify(value[misfit])} at position ${misfit}`);
    data = Buffer.from(value, 'latin1');
  }
  const unit = spec.type === 'b' ? 'bytes' : 'characters';
  if (spec.length === 'fixed') {
    if (data.length !== spec.lengthMax) throw failWith(`the field has exactly ${spec.lengthMax} ${unit}, not ${data.length}`);
    return data;
  }
  if (data.length > spec.lengthMax) throw failWith(`the field has at most ${spec.lengthMax} ${unit}, not ${data.length}`);
  const prefix = String(data.length).padStart(lengthPrefixDigits(spec.length), '0');
  return Buffer.concat([Buffer.from(prefix, 'latin1'), data]);
}

function bitmapOf(numbers: number[], firstBit: number): Buffer {
  const bitmap = Buffer.alloc(bitmapBytes);
  for (const number of numbers) {
    const i = number - firstBit;
    if (i >= 0 && i < bitmapBytes * 8) bitmap[i >> 3]! |= 0x80 >> (i & 7);
  }
  return bitmap;
}

/** The message as bytes, without a length header; the secondary bitmap only when a field above 64 is present. */
export function encodeMessage(message: Iso8583Message): Buffer {
  if (!/^0\d{3}$/.test(message.mti)) throw new Iso8583FormatError(0, mtiField, `the MTI of an ISO 8583:1987 message is 4 digits starting with 0, not ${JSON.stringify(message.mti)}`);
  const entries = Object.entries(message.fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => [Number(key), value] as const)
    .sort((a, b) => a[0] - b[0]);
  const numbers = entries.map(([number]) => number);
  const secondary = numbers.some((number) => number > 64);
  const bitmaps = secondary ? [bitmapOf([1, ...numbers], 1), bitmapOf(numbers, 65)] : [bitmapOf(numbers, 1)];
  const parts: Buffer[] = [Buffer.from(message.mti, 'latin1'), ...bitmaps];
  let offset = mtiBytes + bitmaps.length * bitmapBytes;
  for (const [number, value] of entries) {
    const spec = fieldSpecs.get(number);
    if (!spec) throw new Iso8583FormatError(offset, Number.isInteger(number) ? number : bitmapField, `${number} is not a field this codec can write`);
    const written = writeField(spec, value, offset);
    parts.push(written);
    offset += written.length;
  }
  return Buffer.concat(parts);
}
