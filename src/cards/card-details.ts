// What a card of each kind needs besides a holder: a physical card a shipping address, a
// vendor card the merchant it is locked to. Other kinds take neither.
import { DomainError } from '../shared/errors.js';
import type { CardKind } from './card-lifecycle.js';
import { countryCode } from './controls-json.js';
import { isValidMcc } from './merchant-categories.js';

/** Address lines as postal services print them; longer lines do not fit a card carrier. */
export const addressLineLengthMax = 100;
export const merchantNameLengthMax = 100;
export const merchantIdLengthMax = 100;

export interface ShippingAddressInput {
  recipient: string;
  line1: string;
  line2?: string | null;
  postalCode: string;
  city: string;
  region?: string | null;
  country: string;
}

export interface ShippingAddress {
  recipient: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  city: string;
  region: string | null;
  country: string;
}

export interface VendorInput {
  merchantId?: string | null;
  merchantName?: string | null;
  mcc?: string | null;
}

export interface VendorLock {
  merchantId: string | null;
  merchantName: string | null;
  mcc: string | null;
}

const invalid = (field: string, message: string) => new DomainError('validation_failed', `${field} ${message}`, field);

function line(value: string | null | undefined, field: string, required: boolean, lengthMax = addressLineLengthMax): string | null {
  const text = value?.trim() ?? '';
  if (required && text.length === 0) throw invalid(field, 'is required');
  if (text.length > lengthMax) throw invalid(field, `has at most ${lengthMax} characters`);
  return text.length === 0 ? null : text;
}

export function checkShippingAddress(kind: CardKind, input: ShippingAddressInput | undefined): ShippingAddress | null {
  if (kind !== 'physical') {
    if (input !== undefined) throw invalid('shippingAddress', 'is only for physical cards');
    return null;
  }
  if (input === undefined) throw invalid('shippingAddress', 'is required for a physical card');
  const field = (name: string) => `shippingAddress.${name}`;
  return {
    recipient: line(input.recipient, field('recipient'), true)!,
    line1: line(input.line1, field('line1'), true)!,
    line2: line(input.line2, field('line2'), false),
    postalCode: line(input.postalCode, field('postalCode'), true, 20)!,
    city: line(input.city, field('city'), true)!,
    region: line(input.region, field('region'), false),
    country: countryCode(input.country, field('country')),
  };
}

/** A vendor card is locked to a merchant id, or to a name (and optionally an MCC). */
export function checkVendor(kind: CardKind, input: VendorInput | undefined): VendorLock | null {
  if (kind !== 'vendor') {
    if (input !== undefined) throw invalid('vendor', 'is only for vendor cards');
    return null;
  }
  if (input === undefined) throw invalid('vendor', 'is required for a vendor card: the merchant id, or its name');
  const merchantId = line(input.merchantId, 'vendor.merchantId', false, merchantIdLengthMax);
  const merchantName = line(input.merchantName, 'vendor.merchantName', false, merchantNameLengthMax);
  if (merchantId === null && merchantName === null) throw invalid('vendor', 'needs a merchantId or a merchantName');
  const mcc = input.mcc ?? null;
  if (mcc !== null && !isValidMcc(mcc)) throw invalid('vendor.mcc', 'is a merchant category code of four digits');
  return { merchantId, merchantName, mcc };
}
