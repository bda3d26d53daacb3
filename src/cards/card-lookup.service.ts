// Finding a card across companies by its number, as the ISO 8583 gateway names cards.
import type { Db } from '../db/database.js';
import * as repo from './cards.repository.js';
import { panDigest } from './pan-digest.js';

/** The id of the card with this number, or null: one indexed read of its digest. */
export async function findCardIdByPan(db: Db, encryptionKey: Buffer, pan: string): Promise<string | null> {
  if (!/^\d{12,19}$/.test(pan)) return null;
  return repo.findCardIdByPanDigest(db, panDigest(encryptionKey, pan));
}
