// Passkeys (WebAuthn) as a second factor: registering one (a ceremony of two requests), and
// checking a passkey's answer at sign-in and card reveal. Challenges are single-use rows of
// passkey_challenges with a short expiry, bound to the person and, at sign-in, to the attempt,
// so any process can finish a ceremony another began. The factor rules (which factors a person
// has, the company's rule, the attempt limit) stay in mfa.service.ts, which calls this.
import { createHash, randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { getPerson } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as repo from './passkeys.repository.js';
import type { RelyingParty } from './relying-party.js';

/** How long a ceremony's challenge may be answered: the browser's prompt and a slow touch. */
export const passkeyChallengeTtlMs = 5 * 60_000;
/** The challenges a person may have open at once; asking for more drops the oldest. */
const openChallengesMax = 10;
/** 32 random bytes, twice WebAuthn's minimum of 16 (section 13.4.3). */
const challengeBytes = 32;
/** A person's passkeys, at most; each is one more row to try at sign-in. */
export const passkeysPerPersonMax = 20;

export interface PersonRef {
  companyId: string;
  userId: string;
}

/** Where a passkey's answer is used: card reveal (a signed-in person confirming) or the
 * second step of the sign-in attempt whose sealed challenge is given. */
export type Ceremony = { purpose: 'confirmation' } | { purpose: 'sign_in'; signIn: string };

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const viewOf = (row: repo.PasskeyRow): PasskeyView => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at });
const signInHashOf = (ceremony: Ceremony) => (ceremony.purpose === 'sign_in' ? createHash('sha256').update(ceremony.signIn).digest('base64url') : null);
const transportsOf = (row: repo.PasskeyRow) => row.transports as AuthenticatorTransportFuture[];

export async function listPasskeys(db: Db, person: PersonRef): Promise<PasskeyView[]> {
  return (await repo.listPasskeys(db, person.companyId, person.userId)).map(viewOf);
}

export async function hasPasskey(db: Db, person: PersonRef): Promise<boolean> {
  return (await repo.countPasskeys(db, person.companyId, person.userId)) > 0;
}

async function newChallenge(db: Db, person: PersonRef, purpose: repo.ChallengePurpose, signInHash: string | null, now: Date): Promise<string> {
  const challenge = randomBytes(challengeBytes).toString('base64url');
  await repo.saveChallenge(db, { ...person, challenge, purpose, signInHash, expiresAt: new Date(now.getTime() + passkeyChallengeTtlMs) }, now, openChallengesMax);
  return challenge;
}

/** The options for navigator.credentials.create(): a new challenge, the person as the user
 * (their id as the user handle, no personal data in it), and their passkeys to leave out. */
export async function startRegistration(db: Db, rp: RelyingParty, person: PersonRef, now: Date): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const [row, existing] = await Promise.all([getPerson(db, person.companyId, person.userId), repo.listPasskeys(db, person.companyId, person.userId)]);
  if (existing.length >= passkeysPerPersonMax) throw new DomainError('mfa_state_invalid', `at most ${passkeysPerPersonMax} passkeys a person; remove one first`);
  const challenge = await newChallenge(db, person, 'registration', null, now);
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: row.email,
    userDisplayName: row.name,
    userID: new TextEncoder().encode(person.userId),
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: passkeyChallengeTtlMs,
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credential_id, transports: transportsOf(passkey) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
}

/** The challenge the client data names, or null when it cannot be read. */
function challengeOf(clientDataJSON: string): string | null {
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof clientData.challenge === 'string' ? clientData.challenge : null;
  } catch {
    return null;
  }
}

const registrationRefused = (why: string) => new DomainError('passkey_registration_invalid', `the passkey could not be added: ${why}; try again`, 'response');

/** Verifies the authenticator's answer to a registration challenge of this person (spent
 * whatever the outcome) and saves the passkey under the name given; audited. */
export async function finishRegistration(db: Db, rp: RelyingParty, person: PersonRef, input: { name: string; response: RegistrationResponseJSON }, now: Date): Promise<PasskeyView> {
  const challenge = challengeOf(input.response.response.clientDataJSON);
  if (!challenge || !(await repo.takeChallenge(db, { ...person, challenge, purpose: 'registration', signInHash: null }, now))) throw registrationRefused('its challenge is unknown, used or expired');
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response: input.response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false });
  } catch (error) {
    throw registrationRefused((error as Error).message);
  }
  if (!verified.verified) throw registrationRefused('the authenticator\'s answer does not verify');
  const { credential } = verified.registrationInfo;
  const row = { company_id: person.companyId, id: newId('passkey', now.getTime()), user_id: person.userId, name: input.name.trim(), credential_id: credential.id, public_key: Buffer.from(credential.publicKey), sign_count: BigInt(credential.counter), transports: credential.transports ?? [], created_at: now };
  return db.transaction().execute(async (trx) => {
    if (!(await repo.insertPasskey(trx, row))) throw registrationRefused('that passkey is registered already');
    await recordAudit(trx, { companyId: person.companyId, actorType: 'user', actorId: person.userId, action: 'person.passkey_added', subjectType: 'user', subjectId: person.userId, details: { passkeyId: row.id, name: row.name } });
    return viewOf({ ...row, last_used_at: null });
  });
}

/** The options for navigator.credentials.get(): a new challenge for this ceremony, and the
 * person's passkeys as the ones allowed. */
export async function startAuthentication(db: Db, rp: RelyingParty, person: PersonRef, ceremony: Ceremony, now: Date): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await repo.listPasskeys(db, person.companyId, person.userId);
  if (passkeys.length === 0) throw new DomainError('mfa_state_invalid', 'no passkey is registered; use a code of your authenticator');
  const challenge = await newChallenge(db, person, ceremony.purpose, signInHashOf(ceremony), now);
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: passkeyChallengeTtlMs,
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.credential_id, transports: transportsOf(passkey) })),
    userVerification: 'preferred',
  });
}

/**
 * Whether a passkey's answer proves the person for this ceremony: a challenge of theirs for it,
 * unexpired and spent now (a replay finds none), from our origin and RP ID, by one of their own
 * credentials, signed by its key, with a signature counter that went up (or stays 0 on an
 * authenticator that keeps none: a clone is refused, WebAuthn section 6.1.1). A use is
 * recorded with its counter and audited. The attempt limit is the caller's (mfa.service.ts).
 */
export async function verifyPasskey(db: Db, rp: RelyingParty, person: PersonRef, response: AuthenticationResponseJSON, ceremony: Ceremony, now: Date): Promise<boolean> {
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!challenge || !(await repo.takeChallenge(db, { ...person, challenge, purpose: ceremony.purpose, signInHash: signInHashOf(ceremony) }, now))) return false;
  const passkey = await repo.findPasskeyByCredential(db, person.companyId, person.userId, response.id);
  if (!passkey) return false;
  let newCounter: number;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.credential_id, publicKey: new Uint8Array(passkey.public_key), counter: Number(passkey.sign_count), transports: transportsOf(passkey) },
      requireUserVerification: false,
    });
    if (!verified.verified) return false;
    newCounter = verified.authenticationInfo.newCounter;
  } catch {
    return false;
  }
  return db.transaction().execute(async (trx) => {
    if (!(await repo.recordPasskeyUse(trx, passkey, BigInt(newCounter), now))) return false;
    await recordAudit(trx, { companyId: person.companyId, actorType: 'user', actorId: person.userId, action: 'person.passkey_used', subjectType: 'user', subjectId: person.userId, details: { passkeyId: passkey.id, purpose: ceremony.purpose } });
    return true;
  });
}

/** Removes one of the person's passkeys (the factor rules are the caller's); audited. */
export async function deletePasskey(db: Db, person: PersonRef, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const passkey = await repo.findPasskey(trx, person.companyId, person.userId, id);
    if (!passkey || !(await repo.deletePasskey(trx, person.companyId, person.userId, id))) throw new DomainError('not_found', 'no such passkey');
    await recordAudit(trx, { companyId: person.companyId, actorType: 'user', actorId: person.userId, action: 'person.passkey_removed', subjectType: 'user', subjectId: person.userId, details: { passkeyId: id, name: passkey.name } });
  });
}
