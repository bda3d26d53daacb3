// Time-based one-time passwords (RFC 6238) with otplib: 6 digits, 30-second steps, HMAC-SHA1,
// what every authenticator app reads from an otpauth:// URI. The clock comes in as `now`.
import { authenticator } from 'otplib';

export const totpStepMs = 30_000;
/** Codes of one step before or after now are accepted too: a phone's clock drifts. */
export const totpDriftSteps = 1;
/** 160 bits, the secret length RFC 4226 section 4 recommends. */
const totpSecretBytes = 20;
const codePattern = /^[0-9]{6}$/;

export function newTotpSecret(): string {
  return authenticator.generateSecret(totpSecretBytes);
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export function otpauthUri(secret: string, account: string, issuer: string): string {
  return authenticator.keyuri(account, issuer, secret);
}

/** RFC 6238's T: the number of whole steps since the Unix epoch. */
export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / totpStepMs);
}

/** The time step a code belongs to, within the drift allowed around now, or null. */
export function stepOfCode(secret: string, code: string, now: Date): number | null {
  if (!codePattern.test(code)) return null;
  const delta = authenticator.clone({ epoch: now.getTime(), window: totpDriftSteps }).checkDelta(code, secret);
  return delta === null ? null : stepAt(now) + delta;
}

/** The code of the step `now` falls in (the tests and the demo compute codes with it). */
export function totpCodeAt(secret: string, now: Date): string {
  return authenticator.clone({ epoch: now.getTime() }).generate(secret);
}
