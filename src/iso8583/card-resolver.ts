// Which card a PAN (field 2) belongs to. Outlay's processor API names cards by id; ISO 8583
// names them by number, and numbers are stored encrypted (cards.pan_ciphertext), so a lookup
// needs either an index of keyed hashes or a search.
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.js';
import { decryptField, FieldDecryptionError } from '../shared/field-encryption.js';
import { cardsEndingIn } from './pan-lookup.repository.js';

/** The card id of a PAN, or null when no card has it. */
export type CardResolver = (pan: string) => Promise<string | null>;

/**
 * Cards one lookup decrypts at most. A PAN's last four digits narrow the search to about one
 * card in ten thousand; past this many the lookup fails loudly instead of missing a card.
 */
export const panCandidatesMax = 2_000;

/** The associated data cards.service.ts encrypts a card number under (its secretContext). */
const panContext = (companyId: string, cardId: string) => `card:${companyId}:${cardId}:pan`;

function samePan(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Finds the card by decrypting the numbers of the cards with the same last four digits: no
 * schema of its own, but one decryption per candidate and request. A keyed-hash column
 * (see README.md) makes it one indexed read.
 */
export function decryptingCardResolver(db: Db, encryptionKey: Buffer): CardResolver {
  return async (pan) => {
    if (!/^\d{12,19}$/.test(pan)) return null;
    const candidates = await cardsEndingIn(db, pan.slice(-4), panCandidatesMax + 1);
    if (candidates.length > panCandidatesMax) throw new Error(`more than ${panCandidatesMax} cards end in the same four digits: the PAN lookup needs its index`);
    for (const card of candidates) {
      let number: string;
      try {
        number = decryptField(encryptionKey, card.pan_ciphertext, panContext(card.company_id, card.id));
      } catch (error) {
        // A number under another key or context is not this one; anything else is a fault.
        if (error instanceof FieldDecryptionError) continue;
        throw error;
      }
      if (samePan(number, pan)) return card.id;
    }
    return null;
  };
}
