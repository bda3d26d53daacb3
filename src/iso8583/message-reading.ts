// What the readers of requests answer: the request in Outlay's terms, or the response code to
// refuse it with and why (for the log; the acquirer only hears the code).
import type { Iso8583Message } from './message.js';
import { responseCodes, type ResponseCode } from './response-codes.js';

export type Reading<T> = { ok: true; value: T } | { ok: false; responseCode: ResponseCode; reason: string };

export const refuse = (responseCode: ResponseCode, reason: string): { ok: false; responseCode: ResponseCode; reason: string } => ({ ok: false, responseCode, reason });

/** The fields a message must carry, or the format error naming the first one missing. */
export function missingField(message: Iso8583Message, required: readonly number[]): { ok: false; responseCode: ResponseCode; reason: string } | null {
  const missing = required.find((number) => message.fields[number] === undefined);
  return missing === undefined ? null : refuse(responseCodes.formatError, `field ${missing} is required in an ${message.mti}`);
}

/** A field known to be present (checked with missingField first). */
export function field(message: Iso8583Message, number: number): string {
  const value = message.fields[number];
  if (value === undefined) throw new Error(`field ${number} was checked to be present`);
  return value;
}
