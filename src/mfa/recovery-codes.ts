// Recovery codes: single-use codes a person keeps on paper for when their authenticator is
// lost. 10 codes of 10 characters from a 32-letter alphabet (50 bits each), written in two
// groups of five; typed in any case, with or without the dash or spaces.
import { randomBytes } from 'node:crypto';

export const recoveryCodeCount = 10;
const groupLength = 5;
/** Crockford's base32, lower case: no i, l, o or u to misread. */
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

export function newRecoveryCodes(): string[] {
  return Array.from({ length: recoveryCodeCount }, () => {
    const letters = [...randomBytes(groupLength * 2)].map((byte) => alphabet[byte % alphabet.length]).join('');
    return `${letters.slice(0, groupLength)}-${letters.slice(groupLength)}`;
  });
}

/** The code as it is hashed: lower case, without separators; null when it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | null {
  const code = typed.toLowerCase().replace(/[\s-]/g, '');
  return new RegExp(`^[${alphabet}]{${groupLength * 2}}$`).test(code) ? code : null;
}
