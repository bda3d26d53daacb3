// A person's second sign-in factor: a TOTP authenticator they enrol from their account,
// single-use recovery codes given when it is turned on, and passkeys (passkeys.service.ts).
// Sign-in, card reveal and the company's rule (src/sessions, src/cards) ask this module
// whether a person has one and check codes and passkeys' answers.
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { recordAudit } from '../audit/audit.service.js';
import { clearAttempts, takeAttempt } from '../auth/attempt-limiter.js';
import { secondFactorPerPerson } from '../auth/attempt-limits.js';
import { hashSecret } from '../auth/tokens.js';
import type { Db } from '../db/database.js';
import type { Role } from '../db/schema.js';
import { getCompany } from '../companies/companies.service.js';
import { getPerson, recheckPassword } from '../people/people.service.js';
import { decryptField, encryptField, type FieldKeys } from '../shared/field-encryption.js';
import { DomainError } from '../shared/errors.js';
import * as repo from './mfa.repository.js';
import * as passkeys from './passkeys.service.js';
import { newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.js';
import type { RelyingParty } from './relying-party.js';
import { newTotpSecret, otpauthUri, stepOfCode } from './totp.js';

/** The field keys the TOTP secret is encrypted with. Recovery codes are hashed with the
 * secret itself as the HMAC key: a database alone, without the keys, cannot test guesses. */
export type MfaKeys = FieldKeys;

/** What checking a second factor needs: the field keys (TOTP secrets) and the relying party
 * passkeys are checked for. */
export interface MfaSettings {
  keys: MfaKeys;
  relyingParty: RelyingParty;
}

/** A second factor as given: a code (the authenticator's or a recovery code), or a passkey's
 * answer to a challenge of this ceremony. */
export type SecondFactorProof = { code: string } | { passkey: AuthenticationResponseJSON };

export interface PersonRef {
  companyId: string;
  userId: string;
}

const issuer = 'Outlay';
const recoveryPurpose = 'mfa_recovery';
/** The roles a company's rule (require_mfa_for_admins) asks a second factor of. */
const rolesRequiringMfa: readonly Role[] = ['admin', 'bookkeeper'];

/** Binds the ciphertext to its person: copied into another person's row it does not decrypt. */
const secretContext = (person: PersonRef) => `totp_factors:${person.companyId}:${person.userId}:secret`;
const recoveryHash = (secret: string, code: string) => hashSecret(Buffer.from(secret, 'utf8'), recoveryPurpose, code);
const secretOf = (keys: MfaKeys, person: PersonRef, factor: repo.TotpFactorRow) => decryptField(keys, factor.secret_ciphertext, secretContext(person));

const hasTotp = async (db: Db, person: PersonRef) => (await repo.findTotpFactor(db, person.companyId, person.userId))?.confirmed_at != null;

/** Whether the person has a confirmed authenticator or a passkey, which sign-in and card
 * reveal then ask for. */
export async function hasSecondFactor(db: Db, person: PersonRef): Promise<boolean> {
  return (await hasTotp(db, person)) || (await passkeys.hasPasskey(db, person));
}

/** Whether the company's rule asks this person for a second factor. */
export async function isSecondFactorRequired(db: Db, person: PersonRef & { roles: readonly Role[] }): Promise<boolean> {
  if (!person.roles.some((role) => rolesRequiringMfa.includes(role))) return false;
  return (await getCompany(db, person.companyId)).require_mfa_for_admins;
}

/** Whether the person must enrol before they may do anything else (the company asks, they have none). */
export async function mustEnrol(db: Db, person: PersonRef & { roles: readonly Role[] }): Promise<boolean> {
  return (await isSecondFactorRequired(db, person)) && !(await hasSecondFactor(db, person));
}

export interface MfaStatus {
  totp: boolean;
  recoveryCodesLeft: number;
  required: boolean;
}

export async function statusOf(db: Db, person: PersonRef & { roles: readonly Role[] }): Promise<MfaStatus> {
  const [totp, recoveryCodesLeft, required] = await Promise.all([
    hasTotp(db, person),
    repo.countUnusedRecoveryCodes(db, person.companyId, person.userId),
    isSecondFactorRequired(db, person),
  ]);
  return { totp, recoveryCodesLeft, required };
}

/** Starts enrolling an authenticator: a new secret, encrypted at rest, answered once as the
 * otpauth:// URI (for the QR code) and as text (to type in). Starting again replaces it. */
export async function startTotpEnrollment(db: Db, keys: MfaKeys, person: PersonRef, now: Date): Promise<{ secret: string; otpauthUri: string }> {
  const [row, company] = await Promise.all([getPerson(db, person.companyId, person.userId), getCompany(db, person.companyId)]);
  const secret = newTotpSecret();
  if (!(await repo.savePendingTotpFactor(db, person.companyId, person.userId, encryptField(keys, secret, secretContext(person)), now))) {
    throw new DomainError('mfa_state_invalid', 'two-step sign-in is already on; turn it off first to enrol another authenticator');
  }
  // The label is "issuer:account" (Key Uri Format): no colon in the account, which names the
  // company too, as one address may be a person of several.
  return { secret, otpauthUri: otpauthUri(secret, `${row.email} (${company.name.replaceAll(':', ' ')})`, issuer) };
}

/** Counts a code attempt against the person before it is checked; 429 rate_limited once locked out. */
async function takeCodeAttempt(db: Db, person: PersonRef, now: Date) {
  return takeAttempt(db, null, [{ rule: secondFactorPerPerson, subject: `${person.companyId}:${person.userId}` }], now, 'too many wrong codes');
}

async function recordCodeLockout(db: Db, person: PersonRef, lockedOut: readonly unknown[]): Promise<void> {
  if (lockedOut.length > 0) {
    await recordAudit(db, { companyId: person.companyId, actorType: 'system', actorId: null, action: 'person.locked_out', subjectType: 'user', subjectId: person.userId, details: { limit: secondFactorPerPerson.scope } });
  }
}

const wrongCode = (field: string) => new DomainError('mfa_code_invalid', 'the code is wrong or was used already; type the current code of your authenticator or an unused recovery code', field);

/** Turns the authenticator on with a current code of it; answers the recovery codes, shown this once. */
export async function confirmTotpEnrollment(db: Db, keys: MfaKeys, person: PersonRef, code: string, now: Date): Promise<{ recoveryCodes: string[] }> {
  const factor = await repo.findTotpFactor(db, person.companyId, person.userId);
  if (!factor || factor.confirmed_at) throw new DomainError('mfa_state_invalid', factor ? 'two-step sign-in is already on' : 'start enrolling first');
  const lockedOut = await takeCodeAttempt(db, person, now);
  const secret = secretOf(keys, person, factor);
  const step = stepOfCode(secret, code.trim(), now);
  if (step === null) {
    await recordCodeLockout(db, person, lockedOut);
    throw wrongCode('code');
  }
  const recoveryCodes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    if (!(await repo.confirmTotpFactor(trx, person.companyId, person.userId, step, now))) throw new DomainError('mfa_state_invalid', 'two-step sign-in is already on');
    await repo.replaceRecoveryCodes(trx, person.companyId, person.userId, recoveryCodes.map((recovery) => recoveryHash(secret, normalizeRecoveryCode(recovery)!)), now);
    await recordAudit(trx, { companyId: person.companyId, actorType: 'user', actorId: person.userId, action: 'person.mfa_enabled', subjectType: 'user', subjectId: person.userId });
  });
  await clearAttempts(db, null, [{ rule: secondFactorPerPerson, subject: `${person.companyId}:${person.userId}` }]);
  return { recoveryCodes };
}

/** Whether a code (6 digits from the authenticator, or a recovery code) is one the person may
 * use now; spends it if so. */
async function spendCode(db: Db, keys: MfaKeys, person: PersonRef, code: string, now: Date): Promise<boolean> {
  const factor = await repo.findTotpFactor(db, person.companyId, person.userId);
  if (!factor?.confirmed_at) return false;
  const typed = code.trim();
  const secret = secretOf(keys, person, factor);
  const step = stepOfCode(secret, typed, now);
  if (step !== null) return repo.useTotpStep(db, person.companyId, person.userId, step);
  const recovery = normalizeRecoveryCode(typed);
  return recovery !== null && repo.useRecoveryCode(db, person.companyId, person.userId, recoveryHash(secret, recovery), now);
}

const wrongPasskey = () => new DomainError('passkey_invalid', 'the passkey\'s answer was not accepted; try again, or type a code of your authenticator', 'passkey');

/**
 * Checks a second factor of a person who has one: the authenticator's code of the current
 * step or one either side, once only (a step at or before the last one used is refused), an
 * unused recovery code, which is then spent, or a passkey's answer to a challenge of this
 * ceremony (passkeys.verifyPasskey). Wrong codes and failed answers alike are limited per
 * person (secondFactorPerPerson: 429 rate_limited with Retry-After, the right one too until then).
 */
export async function verifySecondFactor(db: Db, settings: MfaSettings, person: PersonRef, proof: SecondFactorProof, now: Date, ceremony: passkeys.Ceremony = { purpose: 'confirmation' }, field = 'code'): Promise<void> {
  if ('passkey' in proof) await limitedCheck(db, person, now, () => passkeys.verifyPasskey(db, settings.relyingParty, person, proof.passkey, ceremony, now), wrongPasskey);
  else await limitedCheck(db, person, now, () => spendCode(db, settings.keys, person, proof.code, now), () => wrongCode(field));
}

/** Runs a check of a second factor counted against the person's attempt limit: the attempt
 * is taken first, a failure throws `refused()`, a success clears the count. */
async function limitedCheck(db: Db, person: PersonRef, now: Date, check: () => Promise<boolean>, refused: () => DomainError): Promise<void> {
  const lockedOut = await takeCodeAttempt(db, person, now);
  if (!(await check())) {
    await recordCodeLockout(db, person, lockedOut);
    throw refused();
  }
  await clearAttempts(db, null, [{ rule: secondFactorPerPerson, subject: `${person.companyId}:${person.userId}` }]);
}

/** Options for a passkey's answer in a ceremony (sign-in's second step, card reveal). */
export const startPasskeyAuthentication = passkeys.startAuthentication;

/** The one second factor a request gives, a code or a passkey's answer; null when it gives
 * neither; refused when it gives both. */
export function proofOf(given: { code?: string | undefined; passkey?: AuthenticationResponseJSON | undefined }): SecondFactorProof | null {
  if (given.code !== undefined && given.passkey !== undefined) throw new DomainError('validation_failed', 'give a code or a passkey\'s answer, not both', 'passkey');
  if (given.passkey !== undefined) return { passkey: given.passkey };
  return given.code !== undefined ? { code: given.code } : null;
}

/** The password and a code, as turning the factor off and new recovery codes ask. */
export interface Reauthentication {
  password: string;
  code: string;
}

/** The password and a code of the authenticator (turning it off, new recovery codes: both
 * concern the authenticator, so a passkey does not stand in for its code here). */
async function reauthenticate(db: Db, keys: MfaKeys, person: PersonRef, proof: Reauthentication, now: Date) {
  if (!(await hasTotp(db, person))) throw new DomainError('mfa_state_invalid', 'two-step sign-in with an authenticator is not on');
  await recheckPassword(db, person.companyId, person.userId, proof.password, now);
  await limitedCheck(db, person, now, () => spendCode(db, keys, person, proof.code, now), () => wrongCode('code'));
}

/** Refuses to take away a person's last second factor while their company requires one. */
async function keepOneFactorIfRequired(db: Db, person: PersonRef & { roles: readonly Role[] }, left: { totp: boolean; passkeys: number }): Promise<void> {
  if (left.totp || left.passkeys > 0) return;
  if (await isSecondFactorRequired(db, person)) throw new DomainError('mfa_state_invalid', 'your company requires two-step sign-in of admins and bookkeepers; keep at least one authenticator or passkey');
}

/** Turns the authenticator off (password and a code); not while the company requires a second
 * factor of the person and they have no passkey. */
export async function disableTotp(db: Db, keys: MfaKeys, person: PersonRef & { roles: readonly Role[] }, proof: Reauthentication, now: Date): Promise<void> {
  await keepOneFactorIfRequired(db, person, { totp: false, passkeys: (await passkeys.listPasskeys(db, person)).length });
  await reauthenticate(db, keys, person, proof, now);
  await db.transaction().execute(async (trx) => {
    await repo.deleteTotpFactor(trx, person.companyId, person.userId);
    await repo.deleteRecoveryCodes(trx, person.companyId, person.userId);
    await recordAudit(trx, { companyId: person.companyId, actorType: 'user', actorId: person.userId, action: 'person.mfa_disabled', subjectType: 'user', subjectId: person.userId });
  });
}

/** New recovery codes (password and a code); the old ones stop working. */
export async function regenerateRecoveryCodes(db: Db, keys: MfaKeys, person: PersonRef, proof: Reauthentication, now: Date): Promise<{ recoveryCodes: string[] }> {
  await reauthenticate(db, keys, person, proof, now);
  const factor = await repo.findTotpFactor(db, person.companyId, person.userId);
  if (!factor) throw new DomainError('mfa_state_invalid', 'two-step sign-in is not on');
  const secret = secretOf(keys, person, factor);
  const recoveryCodes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await repo.replaceRecoveryCodes(trx, person.companyId, person.userId, recoveryCodes.map((recovery) => recoveryHash(secret, normalizeRecoveryCode(recovery)!)), now);
    await recordAudit(trx, { companyId: person.companyId, actorType: 'user', actorId: person.userId, action: 'person.recovery_codes_replaced', subjectType: 'user', subjectId: person.userId });
  });
  return { recoveryCodes };
}

/** Removes one of the person's passkeys, with their password; not their last second factor
 * while the company requires one of them. */
export async function removePasskey(db: Db, person: PersonRef & { roles: readonly Role[] }, id: string, password: string, now: Date): Promise<void> {
  const own = await passkeys.listPasskeys(db, person);
  if (!own.some((passkey) => passkey.id === id)) throw new DomainError('not_found', 'no such passkey');
  await keepOneFactorIfRequired(db, person, { totp: await hasTotp(db, person), passkeys: own.length - 1 });
  await recheckPassword(db, person.companyId, person.userId, password, now);
  await passkeys.deletePasskey(db, person, id);
}
