// Card numbers (PANs), CVVs and expiry dates of the cards Outlay issues.
//
// A PAN is an issuer identification number, an account number and a Luhn check digit
// (ISO/IEC 7812-1). Until Outlay is connected to a real issuing processor, which assigns
// numbers from its own licensed ranges, numbers come from `testBin`: it starts with major
// industry identifier 0, which ISO/IEC 7812-1 keeps for "ISO/TC 68 and other future industry
// assignments". No card network issues or routes numbers starting with 0, so a number from
// this range can never reach anyone's real account, yet it is shaped and check-summed like a
// real card number, so every parser and mask down the line sees a realistic value.
import { randomInt } from 'node:crypto';

export const testBin = '099900';
export const panLength = 16;
export const cvvLength = 3;
/** Cards are valid through the same month this many years after issue. */
export const cardValidityYears = 3;

/** Where randomness comes from: crypto in production, a seeded source in property tests. */
export interface RandomDigits {
  /** A uniformly random whole number in [0, maxExclusive). */
  below(maxExclusive: number): number;
}

export const cryptoRandom: RandomDigits = { below: (maxExclusive) => randomInt(maxExclusive) };

function randomDigitString(random: RandomDigits, length: number): string {
  let digits = '';
  for (let i = 0; i < length; i++) digits += String(random.below(10));
  return digits;
}

/** The Luhn check digit (ISO/IEC 7812-1 annex B) to append to `payload`. */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new Error('a Luhn payload is digits only');
  let sum = 0;
  // From the right, every other digit starting with the rightmost payload digit is doubled:
  // once the check digit is appended, those become the second, fourth, ... from the right.
  for (let i = 0; i < payload.length; i++) {
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

export function newCardNumber(random: RandomDigits = cryptoRandom, bin: string = testBin): string {
  if (!/^\d{6,8}$/.test(bin)) throw new Error('a BIN has 6 to 8 digits');
  const payload = bin + randomDigitString(random, panLength - bin.length - 1);
  return payload + luhnCheckDigit(payload);
}

export function newCvv(random: RandomDigits = cryptoRandom): string {
  return randomDigitString(random, cvvLength);
}

export const last4Of = (pan: string) => pan.slice(-4);

export interface Expiry {
  month: number;
  year: number;
}

/** A card issued now is valid through the end of this month `cardValidityYears` ahead (UTC). */
export function expiryFor(issuedAt: Date): Expiry {
  return { month: issuedAt.getUTCMonth() + 1, year: issuedAt.getUTCFullYear() + cardValidityYears };
}

/** The last millisecond of the expiry month, UTC: cards are valid "through" their month. */
export function cardExpiresAt(expiry: Expiry): Date {
  return new Date(Date.UTC(expiry.year, expiry.month, 1) - 1);
}
