// Requests as an acquirer writes them, for the tests of the gateway and its readers: an authorization
// from a purchase, the reversal of an authorization, network management.
import { cardAcceptorField, type CardAcceptorLocation } from '../iso8583/card-acceptor.js';
import type { Iso8583Message } from '../iso8583/message.js';
import { originalDataElementsField } from '../iso8583/network-ids.js';
import { formatTransmissionTime } from '../iso8583/transmission-time.js';

export interface Purchase {
  pan: string;
  /** Minor units of the currency, as field 4 carries them. */
  amount: bigint;
  /** ISO 4217 numeric code. */
  currency: string;
  merchant: CardAcceptorLocation & { mcc: string; id: string };
  /** Field 22; 051 is chip read with PIN. */
  posEntryMode?: string;
  /** Field 3; 000000 is a purchase from the default account. */
  processingCode?: string;
  transmittedAt: Date;
  stan: string;
  retrievalReference: string;
  acquirer: string;
  terminal?: string;
}

let traceNumber = 0;

/** The next system trace audit number (field 11) of this test's acquirer. */
export const nextStan = () => String(++traceNumber % 1_000_000).padStart(6, '0');

/** A euro purchase at a Copenhagen café with the next trace number; `extra` changes any field. */
export function cafePurchase(pan: string, amount: bigint, extra: Partial<Purchase> = {}): Purchase {
  const stan = nextStan();
  return {
    pan,
    amount,
    currency: '978',
    merchant: { name: 'Cafe Nord', city: 'Copenhagen', country: 'DK', mcc: '5814', id: 'M42' },
    transmittedAt: new Date('2026-11-20T10:00:00Z'),
    stan,
    retrievalReference: `6324${stan}00`,
    acquirer: '123456',
    ...extra,
  };
}

const amountField = (amount: bigint) => amount.toString().padStart(12, '0');

export function authorizationRequest(purchase: Purchase, mti = '0100'): Iso8583Message {
  const time = formatTransmissionTime(purchase.transmittedAt);
  return {
    mti,
    fields: {
      2: purchase.pan,
      3: purchase.processingCode ?? '000000',
      4: amountField(purchase.amount),
      7: time,
      11: purchase.stan,
      12: time.slice(4),
      13: time.slice(0, 4),
      18: purchase.merchant.mcc,
      22: purchase.posEntryMode ?? '051',
      32: purchase.acquirer,
      37: purchase.retrievalReference,
      41: (purchase.terminal ?? 'TERM0001').padEnd(8),
      42: purchase.merchant.id.padEnd(15),
      43: cardAcceptorField(purchase.merchant),
      49: purchase.currency,
    },
  };
}

export interface ReversalOf {
  transmittedAt: Date;
  stan: string;
  /** What did take place, for a partial reversal (field 95); omitted, everything is reversed. */
  actualAmount?: bigint;
  mti?: string;
}

export function reversalRequest(original: Iso8583Message, reversal: ReversalOf): Iso8583Message {
  const keep = [2, 3, 4, 18, 32, 37, 41, 42, 43, 49];
  const fields: Record<number, string> = Object.fromEntries(keep.flatMap((n) => (original.fields[n] === undefined ? [] : [[n, original.fields[n]]])));
  fields[7] = formatTransmissionTime(reversal.transmittedAt);
  fields[11] = reversal.stan;
  fields[90] = originalDataElementsField({
    mti: original.mti,
    stan: original.fields[11] ?? '000000',
    transmission: original.fields[7] ?? '0000000000',
    acquirer: original.fields[32] ?? '0',
    forwarder: original.fields[33] ?? '0',
  });
  // Field 95: actual amounts of the transaction and its settlement (n 12 each), then the two fees (x+n 8 each).
  if (reversal.actualAmount !== undefined) fields[95] = amountField(reversal.actualAmount).repeat(2) + 'C00000000'.repeat(2);
  return { mti: reversal.mti ?? '0400', fields };
}

/** Field 70: 001 sign-on, 002 sign-off, 301 echo test. */
export function networkManagementRequest(code: '001' | '002' | '301', transmittedAt: Date, stan: string): Iso8583Message {
  return { mti: '0800', fields: { 7: formatTransmissionTime(transmittedAt), 11: stan, 70: code } };
}
