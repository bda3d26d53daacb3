// Finding cards across companies: by number, as the ISO 8583 gateway names them, or by the
// number's last four digits, as the network simulator does.
import type { Db } from '../db/database.js';
import * as repo from './cards.repository.js';
import type { FieldKeys } from '../shared/field-encryption.js';
import { panDigests } from './pan-digest.js';
import * as processorRepo from './processor.repository.js';

/** The id of the card with this number, or null: one indexed read of its digests. */
export async function findCardIdByPan(db: Db, keys: FieldKeys, pan: string): Promise<string | null> {
  if (!/^\d{12,19}$/.test(pan)) return null;
  return repo.findCardIdByPanDigests(db, panDigests(keys, pan));
}

/** Cards of any company whose number ends in these four digits, newest first: the network
 * simulator names cards so. */
export async function findCardsByLast4(db: Db, last4: string): Promise<{ id: string; status: string }[]> {
  return processorRepo.findCardsByLast4(db, last4);
}
