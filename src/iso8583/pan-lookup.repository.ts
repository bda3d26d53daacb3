// The one query of the PAN lookup: cards of any company whose number ends in given digits,
// with the ciphertext of their full number. The processor's view spans companies.
import type { Db } from '../db/database.js';

export interface CardNumberRow {
  company_id: string;
  id: string;
  pan_ciphertext: string;
}

export async function cardsEndingIn(db: Db, last4: string, limit: number): Promise<CardNumberRow[]> {
  return db
    .selectFrom('cards')
    .select(['company_id', 'id', 'pan_ciphertext'])
    .where('last4', '=', last4)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
