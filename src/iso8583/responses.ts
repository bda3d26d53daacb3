// Answers to a request: the response MTI, the request's identifying fields echoed back so the
// acquirer can match the answer to its request, and field 39.
import type { Iso8583Message } from './message.js';
import { responseMtiOf } from './message.js';
import type { ResponseCode } from './response-codes.js';

/**
 * Fields an answer repeats from its request: PAN, processing code, amount, transmission time,
 * trace number, local time and date, acquirer and forwarder, retrieval reference, terminal,
 * merchant, currency, network management code, original data and replacement amounts.
 * Never track data, PIN block, chip data or expiry date.
 */
export const echoedFields = [2, 3, 4, 7, 11, 12, 13, 32, 33, 37, 41, 42, 49, 70, 90, 95] as const;

/** The answer to `request` with `responseCode`, or null when the request is itself an answer. */
export function responseTo(request: Iso8583Message, responseCode: ResponseCode, extra: Readonly<Record<number, string>> = {}): Iso8583Message | null {
  const mti = responseMtiOf(request.mti);
  if (!mti) return null;
  const fields: Record<number, string> = {};
  for (const number of echoedFields) {
    const value = request.fields[number];
    if (value !== undefined) fields[number] = value;
  }
  return { mti, fields: { ...fields, ...extra, 39: responseCode } };
}
