// A reversal (0400, 0420 and their repeats 0401, 0421) read as Outlay's reversal event: the
// original authorization from field 90 with this message's field 37 (a reversal carries the
// retrieval reference of what it reverses), and how much to release from 4 and 95.
import type { NetworkEvent } from '../cards/network-events.service.js';
import { formatAmount } from '../money/money.js';
import { currencyOfCode } from './currency-codes.js';
import type { Iso8583Message } from './message.js';
import { field, missingField, refuse, type Reading } from './message-reading.js';
import { authorizationNetworkId, readOriginalDataElements, reversalMessageId } from './network-ids.js';
import { responseCodes } from './response-codes.js';
import { readTransmissionTime } from './transmission-time.js';

export const reversalRequiredFields = [2, 7, 11, 32, 37, 90] as const;

export interface ReversalReading {
  pan: string;
  event: Omit<NetworkEvent, 'cardId'>;
}

/**
 * The amount to release: all of it without field 4; with field 95 (replacement amounts, its
 * first 12 digits the amount that did take place) only the difference, a partial reversal.
 */
function reversedAmount(message: Iso8583Message): Reading<{ amount?: string; currency?: string }> {
  const original = message.fields[4];
  if (original === undefined) return { ok: true, value: {} };
  const code = message.fields[49];
  if (code === undefined) return refuse(responseCodes.formatError, 'field 49 is required with field 4 in a reversal');
  const currency = currencyOfCode(code);
  if (!currency) return refuse(responseCodes.notPermittedToCardholder, `currency ${code} is not one Outlay knows`);
  const replacement = message.fields[95];
  let reversed = BigInt(original);
  if (replacement !== undefined) {
    const actual = replacement.slice(0, 12);
    if (!/^\d{12}$/.test(actual)) return refuse(responseCodes.formatError, 'field 95 does not start with the 12 digits of the actual amount');
    if (BigInt(actual) > reversed) return refuse(responseCodes.originalAmountIncorrect, 'field 95 states more than the original amount in field 4');
    if (BigInt(actual) > 0n) reversed -= BigInt(actual);
  }
  if (reversed === 0n) return refuse(responseCodes.invalidAmount, 'the reversal releases nothing');
  return { ok: true, value: { amount: formatAmount(reversed, currency), currency } };
}

export function readReversal(message: Iso8583Message, now: Date): Reading<ReversalReading> {
  const missing = missingField(message, reversalRequiredFields);
  if (missing) return missing;
  const transmittedAt = readTransmissionTime(field(message, 7), now);
  if (!transmittedAt) return refuse(responseCodes.formatError, `field 7 "${field(message, 7)}" is not a date and time MMDDhhmmss`);
  const original = readOriginalDataElements(field(message, 90));
  const originalAt = readTransmissionTime(original.transmission, now);
  if (!originalAt) return refuse(responseCodes.formatError, `field 90 holds no original date and time MMDDhhmmss ("${original.transmission}")`);
  const amount = reversedAmount(message);
  if (!amount.ok) return amount;
  const retrievalReference = field(message, 37);
  return {
    ok: true,
    value: {
      pan: field(message, 2),
      event: {
        id: reversalMessageId({ acquirer: field(message, 32), transmittedAt, stan: field(message, 11), retrievalReference }),
        type: 'reversal',
        transactionNetworkId: authorizationNetworkId({ acquirer: original.acquirer, transmittedAt: originalAt, stan: original.stan, retrievalReference }),
        ...amount.value,
        occurredAt: transmittedAt,
      },
    },
  };
}
