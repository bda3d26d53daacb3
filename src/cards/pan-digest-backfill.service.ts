// Cards issued before card numbers were digested (pan-digest.ts) get their digest at start-up,
// so that the ISO 8583 gateway finds them by number too.
import type { Db } from '../db/database.js';
import { FieldDecryptionError, type FieldKeys } from '../shared/field-encryption.js';
import { decryptCardSecret } from './card-secrets.js';
import * as repo from './cards.repository.js';
import { panDigest, panDigests } from './pan-digest.js';

/**
 * Digests the numbers of cards issued before digests existed, once, at start-up. A number
 * that does not decrypt under this key (it was issued under another) is left without one:
 * the gateway then does not find that card, and nothing else changes.
 */
export async function backfillPanDigests(db: Db, encryptionKey: FieldKeys): Promise<{ digested: number; undecryptable: number }> {
  const cards = await repo.listCardsWithoutPanDigest(db, Number.MAX_SAFE_INTEGER);
  let digested = 0;
  for (const card of cards) {
    let pan: string;
    try {
      pan = decryptCardSecret(encryptionKey, card, 'pan', card.pan_ciphertext);
    } catch (error) {
      if (error instanceof FieldDecryptionError) continue;
      throw error;
    }
    // Two cards issued with the same number before digests existed: the later keeps none.
    const taken = await repo.findCardIdByPanDigests(db, panDigests(encryptionKey, pan));
    if (taken) continue;
    await repo.setPanDigest(db, card.id, panDigest(encryptionKey, pan));
    digested += 1;
  }
  return { digested, undecryptable: cards.length - digested };
}
