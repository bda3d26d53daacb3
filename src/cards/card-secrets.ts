// A card's number and CVV are stored encrypted (cards.pan_ciphertext, cards.cvv_ciphertext),
// each bound to its company, card and field as associated data: a ciphertext copied into
// another card's row, or into the other field, does not decrypt.
import { decryptField, encryptField, type FieldKeys } from '../shared/field-encryption.js';

export type CardSecret = 'pan' | 'cvv';

const secretContext = (companyId: string, cardId: string, field: CardSecret) => `card:${companyId}:${cardId}:${field}`;

export function encryptCardSecret(encryptionKey: FieldKeys, card: { company_id: string; id: string }, field: CardSecret, value: string): string {
  return encryptField(encryptionKey, value, secretContext(card.company_id, card.id, field));
}

/** Throws FieldDecryptionError when the value was stored under another key or context. */
export function decryptCardSecret(encryptionKey: FieldKeys, card: { company_id: string; id: string }, field: CardSecret, ciphertext: string): string {
  return decryptField(encryptionKey, ciphertext, secretContext(card.company_id, card.id, field));
}
