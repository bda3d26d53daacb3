// ISO 8583:1987 field 39, response code: what Outlay answers, and which of its decline reasons
// gives which code. The table is a Record over every reason, so a reason added to the engine
// does not compile until it has a code here (and a row in README.md).
import type { AuthorizationDecline } from '../cards/authorization.service.js';

export const responseCodes = {
  approved: '00',
  doNotHonour: '05',
  invalidTransaction: '12',
  invalidAmount: '13',
  invalidCardNumber: '14',
  unableToLocateOriginal: '25',
  formatError: '30',
  functionNotSupported: '40',
  insufficientFunds: '51',
  expiredCard: '54',
  notPermittedToCardholder: '57',
  exceedsAmountLimit: '61',
  restrictedCard: '62',
  originalAmountIncorrect: '64',
  exceedsFrequencyLimit: '65',
  issuerUnavailable: '91',
  // A message reusing an earlier one's network id with other terms (card, amount, currency).
  duplicateTransmission: '94',
  systemMalfunction: '96',
} as const;

export type ResponseCode = (typeof responseCodes)[keyof typeof responseCodes];

/** The response code of each reason authorizePurchase declines for. */
export const declineResponseCodes: Record<AuthorizationDecline, ResponseCode> = {
  card_not_found: responseCodes.invalidCardNumber,
  // Not yet activated or frozen: the card exists and may work again, so "restricted", not a
  // pick-up code (most Outlay cards are virtual; there is nothing to pick up).
  card_not_active: responseCodes.restrictedCard,
  card_frozen: responseCodes.restrictedCard,
  // Cancelled for good (lost, stolen, replaced): "do not honour", again without a pick-up.
  card_cancelled: responseCodes.doNotHonour,
  card_expired: responseCodes.expiredCard,
  // A single-use card's second purchase is over its frequency limit of one.
  single_use_card_used: responseCodes.exceedsFrequencyLimit,
  vendor_card_used_elsewhere: responseCodes.notPermittedToCardholder,
  merchant_not_allowed: responseCodes.notPermittedToCardholder,
  category_blocked: responseCodes.notPermittedToCardholder,
  country_blocked: responseCodes.notPermittedToCardholder,
  channel_blocked: responseCodes.notPermittedToCardholder,
  outside_allowed_time: responseCodes.notPermittedToCardholder,
  over_per_purchase_limit: responseCodes.exceedsAmountLimit,
  over_period_limit: responseCodes.exceedsAmountLimit,
  // The company's budget for the person or team is spent: an amount limit, as the card's own.
  over_budget: responseCodes.exceedsAmountLimit,
  insufficient_funds: responseCodes.insufficientFunds,
  currency_not_supported: responseCodes.notPermittedToCardholder,
  issuer_unavailable: responseCodes.issuerUnavailable,
};
