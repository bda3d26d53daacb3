// Rotating the key of card secrets: after a new OUTLAY_ENCRYPTION_KEY is deployed with the old
// one in OUTLAY_ENCRYPTION_KEYS_PREVIOUS, every card's number and CVV are rewritten under the
// new key, and its number's digest with them, one card per short transaction. Cards keep
// working throughout (values under the old key still decrypt, digests under it still match);
// once nothing is left under the old key, it can be removed from the configuration.
import type { Db } from '../db/database.js';
import { encryptField, fieldKeyId, FieldDecryptionError, isUnderCurrentKey, keyRingOf, type FieldKeys } from '../shared/field-encryption.js';
import { decryptCardSecret, encryptCardSecret } from './card-secrets.js';
import * as repo from './cards.repository.js';
import { panDigest } from './pan-digest.js';

/** Cards read per query while rotating. */
export const rotationBatchSize = 200;

export interface RotationResult {
  keyId: string;
  rewritten: number;
  /** Cards with a secret no configured key decrypts: left as they are, listed by id. */
  undecryptable: string[];
}

export async function rotateCardSecrets(db: Db, keys: FieldKeys): Promise<RotationResult> {
  const ring = keyRingOf(keys);
  const keyId = fieldKeyId(ring.current);
  // Whatever the current key writes starts so; an empty value encrypts to its prefix too.
  const prefix = encryptField(ring.current, '', 'prefix').split('.').slice(0, 2).join('.') + '.';
  const result: RotationResult = { keyId, rewritten: 0, undecryptable: [] };
  let afterId = '';
  for (;;) {
    const batch = await repo.listCardsNotUnderKey(db, prefix, afterId, rotationBatchSize);
    if (batch.length === 0) return result;
    for (const card of batch) {
      if (await rewriteOne(db, ring, card)) result.rewritten += 1;
      else result.undecryptable.push(card.id);
    }
    afterId = batch[batch.length - 1]!.id;
  }
}

/** False when a secret of the card decrypts under no configured key. */
async function rewriteOne(db: Db, keys: FieldKeys, card: { company_id: string; id: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Locked, as every change to a card is: a reveal or replacement meanwhile waits its turn.
    const locked = await repo.lockCard(trx, card.company_id, card.id);
    if (!locked) return true;
    if (isUnderCurrentKey(keys, locked.pan_ciphertext) && isUnderCurrentKey(keys, locked.cvv_ciphertext)) return true;
    let pan: string;
    let cvv: string;
    try {
      pan = decryptCardSecret(keys, locked, 'pan', locked.pan_ciphertext);
      cvv = decryptCardSecret(keys, locked, 'cvv', locked.cvv_ciphertext);
    } catch (error) {
      if (error instanceof FieldDecryptionError) return false;
      throw error;
    }
    await repo.rewriteCardSecrets(trx, locked, {
      panCiphertext: encryptCardSecret(keys, locked, 'pan', pan),
      cvvCiphertext: encryptCardSecret(keys, locked, 'cvv', cvv),
      panDigest: panDigest(keys, pan),
    });
    return true;
  });
}

/** How many cards have their number under each key id, the current one named. */
export async function cardKeyStatus(db: Db, keys: FieldKeys): Promise<{ currentKeyId: string; cardsByKey: { keyId: string; cards: number }[] }> {
  return { currentKeyId: fieldKeyId(keyRingOf(keys).current), cardsByKey: await repo.countCardsByKey(db) };
}
