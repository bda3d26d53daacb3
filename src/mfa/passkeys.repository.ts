// All SQL of passkeys and the challenges of their ceremonies.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { PasskeyChallengesTable, PasskeysTable } from '../db/schema.js';

export type PasskeyRow = Selectable<PasskeysTable>;
export type ChallengePurpose = PasskeyChallengesTable['purpose'];

export async function listPasskeys(db: Db, companyId: string, userId: string): Promise<PasskeyRow[]> {
  return db.selectFrom('passkeys').selectAll().where('company_id', '=', companyId).where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
}

export async function countPasskeys(db: Db, companyId: string, userId: string): Promise<number> {
  const row = await db.selectFrom('passkeys').where('company_id', '=', companyId).where('user_id', '=', userId).select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The person's passkey of a credential ID; none when the credential is another person's. */
export async function findPasskeyByCredential(db: Db, companyId: string, userId: string, credentialId: string): Promise<PasskeyRow | undefined> {
  return db.selectFrom('passkeys').selectAll().where('company_id', '=', companyId).where('user_id', '=', userId).where('credential_id', '=', credentialId).executeTakeFirst();
}

export async function findPasskey(db: Db, companyId: string, userId: string, id: string): Promise<PasskeyRow | undefined> {
  return db.selectFrom('passkeys').selectAll().where('company_id', '=', companyId).where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

/** Saves a registered passkey; false when the company has that credential already. */
export async function insertPasskey(db: Db, row: Omit<PasskeyRow, 'last_used_at' | 'created_at'> & { created_at: Date }): Promise<boolean> {
  const rows = await db.insertInto('passkeys').values(row).onConflict((oc) => oc.columns(['company_id', 'credential_id']).doNothing()).returning('id').execute();
  return rows.length > 0;
}

/** Records a use: the new counter, only if the stored one is still the one verified against,
 * so two answers of one counter value cannot both pass. Whether it was recorded. */
export async function recordPasskeyUse(db: Db, passkey: PasskeyRow, signCount: bigint, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('passkeys')
    .set({ sign_count: signCount, last_used_at: now })
    .where('company_id', '=', passkey.company_id)
    .where('id', '=', passkey.id)
    .where('sign_count', '=', passkey.sign_count)
    .returning('id')
    .execute();
  return rows.length > 0;
}

export async function deletePasskey(db: Db, companyId: string, userId: string, id: string): Promise<boolean> {
  const rows = await db.deleteFrom('passkeys').where('company_id', '=', companyId).where('user_id', '=', userId).where('id', '=', id).returning('id').execute();
  return rows.length > 0;
}

export interface NewChallenge {
  companyId: string;
  userId: string;
  challenge: string;
  purpose: ChallengePurpose;
  signInHash: string | null;
  expiresAt: Date;
}

/** Stores a challenge, first dropping the person's expired ones and all but their newest
 * `keptMax - 1`, so that asking again and again keeps at most keptMax rows. */
export async function saveChallenge(db: Db, challenge: NewChallenge, now: Date, keptMax: number): Promise<void> {
  const { companyId, userId } = challenge;
  await db.deleteFrom('passkey_challenges').where('company_id', '=', companyId).where('user_id', '=', userId).where('expires_at', '<=', now).execute();
  await db
    .deleteFrom('passkey_challenges')
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('challenge', 'not in', (eb) =>
      eb.selectFrom('passkey_challenges').select('challenge').where('company_id', '=', companyId).where('user_id', '=', userId).orderBy('created_at', 'desc').limit(keptMax - 1))
    .execute();
  await db
    .insertInto('passkey_challenges')
    .values({ company_id: companyId, user_id: userId, challenge: challenge.challenge, purpose: challenge.purpose, sign_in_hash: challenge.signInHash, expires_at: challenge.expiresAt, created_at: now })
    .execute();
}

/** Spends a challenge of the person, purpose and (for a sign-in) attempt that has not
 * expired: deleted in the statement that finds it, so it is answered once. Whether there was one. */
export async function takeChallenge(db: Db, want: Omit<NewChallenge, 'expiresAt'>, now: Date): Promise<boolean> {
  const rows = await db
    .deleteFrom('passkey_challenges')
    .where('company_id', '=', want.companyId)
    .where('user_id', '=', want.userId)
    .where('challenge', '=', want.challenge)
    .where('purpose', '=', want.purpose)
    .where(sql<boolean>`sign_in_hash IS NOT DISTINCT FROM ${want.signInHash}`)
    .where('expires_at', '>', now)
    .returning('challenge')
    .execute();
  return rows.length > 0;
}
