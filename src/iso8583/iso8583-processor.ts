// The gateway's handler for Outlay: ISO 8583 requests mapped onto the authorization engine
// and the network events service, their outcomes mapped back onto field 39.
//
//   0100 authorization request        -> authorizePurchase            -> 0110
//   0120 authorization advice         -> authorizePurchase            -> 0130
//   0400/0420 reversal (+ repeats)    -> applyNetworkEvent reversal   -> 0410/0430
//   0800 network management           -> sign-on, sign-off, echo      -> 0810
//   anything else                                                     -> 40, function not supported
import { createHash } from 'node:crypto';
import { authorizePurchase, standInWhenLate, type AuthorizationOutcome } from '../cards/authorization.service.js';
import { Deadline } from '../shared/deadline.js';
import { applyNetworkEvent } from '../cards/network-events.service.js';
import type { Db } from '../db/database.js';
import { measureAuthorization } from '../observability/metrics.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, type ErrorCode } from '../shared/errors.js';
import { readAuthorization } from './authorization-message.js';
import { numericCodeOf } from './currency-codes.js';
import type { ConnectionInfo, Iso8583Handler, Iso8583Logger } from './gateway-connection.js';
import { withoutRepeat, type Iso8583Message } from './message.js';
import type { Reading } from './message-reading.js';
import { declineResponseCodes, responseCodes, type ResponseCode } from './response-codes.js';
import { responseTo } from './responses.js';
import { readReversal } from './reversal-message.js';

/** Which card a PAN (field 2) belongs to: the card id, or null when no card has it. ISO 8583
 * names cards by number, Outlay by id. */
export type CardResolver = (pan: string) => Promise<string | null>;

export interface Iso8583ProcessorOptions {
  db: Db;
  resolveCard: CardResolver;
  logger: Iso8583Logger;
  /** Read once per message: the instant its transmission time is read against and it is decided at. */
  clock: Clock;
  /** An authorization request (0100) not decided within this holds nothing: the gateway has
   * answered 91 in its stead by then (see gateway.ts handlerTimeoutMs). */
  deadlineMs?: number;
}

interface Exchange {
  options: Iso8583ProcessorOptions;
  request: Iso8583Message;
  connection: ConnectionInfo;
}

/** Field 70, network management information code. */
const networkManagementCodes: Readonly<Record<string, string>> = { '001': 'sign-on', '002': 'sign-off', '301': 'echo test' };

/** Domain errors the engine throws for a request it cannot take, as field 39. Others are faults (96). */
const authorizationErrorCodes: Partial<Record<ErrorCode, ResponseCode>> = {
  invalid_money: responseCodes.invalidAmount,
  unknown_currency: responseCodes.notPermittedToCardholder,
  validation_failed: responseCodes.formatError,
  not_found: responseCodes.invalidCardNumber,
  // The network id of an earlier authorization with other terms (network-message-terms.ts).
  network_id_reused: responseCodes.duplicateTransmission,
};

const reversalErrorCodes: Partial<Record<ErrorCode, ResponseCode>> = {
  invalid_money: responseCodes.invalidAmount,
  not_found: responseCodes.unableToLocateOriginal,
  // The original holds nothing any more: declined, already reversed, cleared or expired.
  card_state_invalid: responseCodes.invalidTransaction,
  currency_mismatch: responseCodes.invalidTransaction,
  validation_failed: responseCodes.originalAmountIncorrect,
  network_id_reused: responseCodes.duplicateTransmission,
};

function answer(request: Iso8583Message, code: ResponseCode, extra: Readonly<Record<number, string>> = {}): Iso8583Message {
  const response = responseTo(request, code, extra);
  // Only requests reach the handler (the gateway drops answers), and every request has one.
  if (!response) throw new Error(`${request.mti} has no response MTI`);
  return response;
}

function codeOfError(error: unknown, codes: Partial<Record<ErrorCode, ResponseCode>>): ResponseCode {
  const code = error instanceof DomainError ? codes[error.code] : undefined;
  if (code === undefined) throw error;
  return code;
}

/** Field 38: six digits, the same for every answer about one transaction, so a repeat gets the code the first answer had. */
export function approvalCodeOf(transactionId: string): string {
  const digest = createHash('sha256').update(transactionId).digest();
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

function refused(exchange: Exchange, reading: Extract<Reading<unknown>, { ok: false }>): Iso8583Message {
  exchange.options.logger.info({ connection: exchange.connection.id, mti: exchange.request.mti, stan: exchange.request.fields[11] ?? null, responseCode: reading.responseCode, reason: reading.reason }, 'ISO 8583 request refused');
  return answer(exchange.request, reading.responseCode);
}

/** Field 39 and, on approval, 38 with the approval code and 6/51 with the amount held in the wallet's currency. */
function authorizationFields(outcome: AuthorizationOutcome): { code: ResponseCode; extra: Record<number, string> } {
  if (!outcome.approved) return { code: declineResponseCodes[outcome.declineReason ?? 'card_not_found'], extra: {} };
  const { transaction } = outcome;
  if (!transaction) throw new Error('an approved authorization has its transaction');
  const extra: Record<number, string> = { 38: approvalCodeOf(transaction.id) };
  const billingCurrency = numericCodeOf(transaction.wallet_currency);
  if (billingCurrency && transaction.wallet_amount < 10n ** 12n) {
    extra[6] = String(transaction.wallet_amount).padStart(12, '0');
    extra[51] = billingCurrency;
  }
  return { code: responseCodes.approved, extra };
}

async function authorize(exchange: Exchange, advice: boolean): Promise<Iso8583Message> {
  const { options, request, connection } = exchange;
  const now = options.clock.now();
  const reading = readAuthorization(request, now);
  if (!reading.ok) return refused(exchange, reading);
  const { pan, request: ask } = reading.value;
  // Started before the card lookup: the gateway's own timer is running already. An advice
  // records what the network decided, however late; a request must not hold money after the
  // gateway's stand-in answer.
  const deadline = !advice && options.deadlineMs !== undefined ? new Deadline(options.deadlineMs) : undefined;
  const log = { connection: connection.id, mti: request.mti, networkId: ask.networkId };
  // An advice tells of a decision the network already took in our stead; one it declined held nothing.
  const standIn = request.fields[39];
  if (advice && standIn !== undefined && standIn !== responseCodes.approved) {
    options.logger.info({ ...log, standIn }, 'ISO 8583 advice of a declined authorization acknowledged');
    return answer(request, responseCodes.approved);
  }
  const cardId = await options.resolveCard(pan);
  if (!cardId) {
    options.logger.info(log, 'ISO 8583 authorization for an unknown card');
    return answer(request, responseCodes.invalidCardNumber);
  }
  let outcome: AuthorizationOutcome;
  try {
    // Rolled back for its deadline, it is the stand-in decline (91), as the gateway answers.
    outcome = await measureAuthorization('iso8583', () => standInWhenLate(authorizePurchase(options.db, { ...ask, cardId }, now, { deadline })));
  } catch (error) {
    const code = codeOfError(error, authorizationErrorCodes);
    options.logger.info({ ...log, cardId, responseCode: code, reason: (error as Error).message }, 'ISO 8583 authorization refused');
    return answer(request, code);
  }
  const { code, extra } = authorizationFields(outcome);
  options.logger.info({ ...log, cardId, approved: outcome.approved, declineReason: outcome.declineReason, declinePeriod: outcome.declinePeriod, responseCode: code }, advice ? 'ISO 8583 advice' : 'ISO 8583 authorization');
  if (!advice) return answer(request, code, extra);
  // An advice is acknowledged whatever the engine says: the network has approved it already.
  if (!outcome.approved) options.logger.warn({ ...log, cardId, declineReason: outcome.declineReason }, 'ISO 8583 stand-in approval the engine would have declined; no hold placed');
  return answer(request, responseCodes.approved);
}

async function reverse(exchange: Exchange): Promise<Iso8583Message> {
  const { options, request, connection } = exchange;
  const now = options.clock.now();
  const reading = readReversal(request, now);
  if (!reading.ok) return refused(exchange, reading);
  const { pan, event } = reading.value;
  const log = { connection: connection.id, mti: request.mti, eventId: event.id, networkId: event.transactionNetworkId };
  const cardId = await options.resolveCard(pan);
  if (!cardId) {
    options.logger.info(log, 'ISO 8583 reversal for an unknown card');
    return answer(request, responseCodes.invalidCardNumber);
  }
  try {
    const outcome = await applyNetworkEvent(options.db, { ...event, cardId }, now);
    options.logger.info({ ...log, cardId, accepted: outcome.accepted, state: outcome.transaction?.state ?? null }, 'ISO 8583 reversal');
    return answer(request, outcome.accepted ? responseCodes.approved : responseCodes.doNotHonour);
  } catch (error) {
    const code = codeOfError(error, reversalErrorCodes);
    options.logger.info({ ...log, cardId, responseCode: code, reason: (error as Error).message }, 'ISO 8583 reversal refused');
    return answer(request, code);
  }
}

function manageNetwork(exchange: Exchange): Iso8583Message {
  const { options, request, connection } = exchange;
  const code = request.fields[70];
  if (code === undefined) return refused(exchange, { ok: false, responseCode: responseCodes.formatError, reason: 'field 70 is required in an 0800' });
  const meaning = networkManagementCodes[code];
  if (!meaning) return refused(exchange, { ok: false, responseCode: responseCodes.functionNotSupported, reason: `network management code ${code} is not supported` });
  if (code !== '301') options.logger.info({ connection: connection.id, remoteAddress: connection.remoteAddress, code, meaning }, `ISO 8583 ${meaning}`);
  return answer(request, responseCodes.approved);
}

export function iso8583Processor(options: Iso8583ProcessorOptions): Iso8583Handler {
  return async (request, connection) => {
    const exchange: Exchange = { options, request, connection };
    switch (withoutRepeat(request.mti)) {
      case '0100':
        return authorize(exchange, false);
      case '0120':
        return authorize(exchange, true);
      case '0400':
      case '0420':
        return reverse(exchange);
      case '0800':
        return manageNetwork(exchange);
      default:
        return refused(exchange, { ok: false, responseCode: responseCodes.functionNotSupported, reason: `message type ${request.mti} is not supported` });
    }
  };
}
