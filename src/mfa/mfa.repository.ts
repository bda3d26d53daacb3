// All SQL of second factors: TOTP authenticators and recovery codes.
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { TotpFactorsTable } from '../db/schema.js';

export type TotpFactorRow = Selectable<TotpFactorsTable>;

export async function findTotpFactor(db: Db, companyId: string, userId: string): Promise<TotpFactorRow | undefined> {
  return db.selectFrom('totp_factors').selectAll().where('company_id', '=', companyId).where('user_id', '=', userId).executeTakeFirst();
}

/** Starts (or starts again) an enrolment with a new secret; a confirmed factor is left as it is. Whether it was written. */
export async function savePendingTotpFactor(db: Db, companyId: string, userId: string, secretCiphertext: string, now: Date): Promise<boolean> {
  const rows = await db
    .insertInto('totp_factors')
    .values({ company_id: companyId, user_id: userId, secret_ciphertext: secretCiphertext, created_at: now })
    .onConflict((oc) => oc.columns(['company_id', 'user_id']).doUpdateSet({ secret_ciphertext: secretCiphertext, last_used_step: null }).where('totp_factors.confirmed_at', 'is', null))
    .returning('user_id')
    .execute();
  return rows.length > 0;
}

export async function confirmTotpFactor(db: Db, companyId: string, userId: string, step: number, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('totp_factors')
    .set({ confirmed_at: now, last_used_step: BigInt(step) })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .returning('user_id')
    .execute();
  return rows.length > 0;
}

/** Records the step of an accepted code, if it is later than the last one: in one statement,
 * so two requests with the same code cannot both be accepted. Whether it was later. */
export async function useTotpStep(db: Db, companyId: string, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .updateTable('totp_factors')
    .set({ last_used_step: BigInt(step) })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', BigInt(step))]))
    .returning('user_id')
    .execute();
  return rows.length > 0;
}

export async function deleteTotpFactor(db: Db, companyId: string, userId: string): Promise<void> {
  await db.deleteFrom('totp_factors').where('company_id', '=', companyId).where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(db: Db, companyId: string, userId: string, codeHashes: readonly string[], now: Date): Promise<void> {
  await deleteRecoveryCodes(db, companyId, userId);
  await db.insertInto('recovery_codes').values(codeHashes.map((code_hash) => ({ company_id: companyId, user_id: userId, code_hash, created_at: now }))).execute();
}

export async function deleteRecoveryCodes(db: Db, companyId: string, userId: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('company_id', '=', companyId).where('user_id', '=', userId).execute();
}

/** Spends an unused recovery code; whether there was one. */
export async function useRecoveryCode(db: Db, companyId: string, userId: string, codeHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('user_id')
    .execute();
  return rows.length > 0;
}

export async function countUnusedRecoveryCodes(db: Db, companyId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
