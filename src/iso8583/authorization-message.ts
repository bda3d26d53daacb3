// An authorization request (0100) or advice (0120) read as Outlay's authorization request:
// who (field 2, resolved to a card elsewhere), how much (4 in minor units of 49), where (43,
// 18, 42), how (22 and 3), when (7) and the network id its repeats share.
import type { AuthorizationKind, AuthorizationRequest } from '../cards/authorization.service.js';
import { formatAmount } from '../money/money.js';
import { readCardAcceptorLocation } from './card-acceptor.js';
import { currencyOfCode } from './currency-codes.js';
import type { Iso8583Message } from './message.js';
import { field, missingField, refuse, type Reading } from './message-reading.js';
import { authorizationNetworkId } from './network-ids.js';
import { channelOf } from './pos-entry-mode.js';
import { responseCodes } from './response-codes.js';
import { readTransmissionTime } from './transmission-time.js';

export const authorizationRequiredFields = [2, 3, 4, 7, 11, 18, 32, 37, 43, 49] as const;

export interface AuthorizationReading {
  pan: string;
  request: Omit<AuthorizationRequest, 'cardId'>;
}

/** Processing code (field 3), first two digits: the transaction type. */
const transactionKinds: Readonly<Record<string, AuthorizationKind>> = {
  '00': 'purchase',
  '01': 'atm_withdrawal',
};

export function readAuthorization(message: Iso8583Message, now: Date): Reading<AuthorizationReading> {
  const missing = missingField(message, authorizationRequiredFields);
  if (missing) return missing;
  const processingCode = field(message, 3);
  const kind = transactionKinds[processingCode.slice(0, 2)];
  if (!kind) return refuse(responseCodes.functionNotSupported, `processing code ${processingCode} is neither a purchase (00) nor a cash withdrawal (01)`);
  const currency = currencyOfCode(field(message, 49));
  if (!currency) return refuse(responseCodes.notPermittedToCardholder, `currency ${field(message, 49)} is not one Outlay knows`);
  const amount = BigInt(field(message, 4));
  // A zero amount is an account verification; the engine authorizes purchases only.
  if (amount === 0n) return refuse(responseCodes.invalidAmount, 'the amount is zero');
  const transmittedAt = readTransmissionTime(field(message, 7), now);
  if (!transmittedAt) return refuse(responseCodes.formatError, `field 7 "${field(message, 7)}" is not a date and time MMDDhhmmss`);
  const location = readCardAcceptorLocation(field(message, 43));
  if (!location.name) return refuse(responseCodes.formatError, 'field 43 has no merchant name in positions 1-25');
  if (!/^[A-Z]{2}$/.test(location.country)) return refuse(responseCodes.formatError, `field 43 has no ISO 3166 alpha-2 country in positions 39-40 ("${location.country}")`);
  const merchantId = message.fields[42]?.trim() || null;
  return {
    ok: true,
    value: {
      pan: field(message, 2),
      request: {
        networkId: authorizationNetworkId({ acquirer: field(message, 32), transmittedAt, stan: field(message, 11), retrievalReference: field(message, 37) }),
        kind,
        amount: formatAmount(amount, currency),
        currency,
        merchant: { id: merchantId, name: location.name, mcc: field(message, 18), country: location.country },
        channel: channelOf(message.fields[22], processingCode),
        occurredAt: transmittedAt,
      },
    },
  };
}
