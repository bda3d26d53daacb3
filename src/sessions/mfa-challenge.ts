// The sign-in challenge: what a right password (or single sign-on) gives a person who has a
// second factor, instead of a session. It is sealed with the session key (AES-GCM, so it can
// be neither read nor altered), names the person and expires after mfaChallengeTtlMs; the
// code sent with it starts the session.
import { decryptField, encryptField } from '../shared/field-encryption.js';
import { DomainError } from '../shared/errors.js';

/** Long enough to open the authenticator app and type a code. */
export const mfaChallengeTtlMs = 5 * 60_000;
const challengeContext = 'mfa_challenge';
/** A sealed challenge is about 200 characters; anything much longer is not one. */
export const mfaChallengeLengthMax = 1000;

export interface MfaChallenge {
  companyId: string;
  userId: string;
  expiresAt: Date;
}

export function sealChallenge(sessionKey: Buffer, person: { company_id: string; id: string }, now: Date): { challenge: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + mfaChallengeTtlMs);
  const challenge = encryptField(sessionKey, JSON.stringify({ c: person.company_id, u: person.id, e: expiresAt.getTime() }), challengeContext);
  return { challenge, expiresAt };
}

export function openChallenge(sessionKey: Buffer, sealed: string, now: Date): MfaChallenge {
  let fields: { c?: unknown; u?: unknown; e?: unknown };
  try {
    fields = JSON.parse(decryptField(sessionKey, sealed, challengeContext)) as typeof fields;
  } catch {
    throw new DomainError('mfa_challenge_invalid', 'the sign-in could not be read back; sign in again', 'challenge');
  }
  if (typeof fields.c !== 'string' || typeof fields.u !== 'string' || typeof fields.e !== 'number') throw new DomainError('mfa_challenge_invalid', 'not a sign-in challenge', 'challenge');
  if (fields.e <= now.getTime()) throw new DomainError('mfa_challenge_invalid', 'the sign-in took too long; sign in again', 'challenge');
  return { companyId: fields.c, userId: fields.u, expiresAt: new Date(fields.e) };
}
