/**
 * ISO 11649 creditor references ("RF references"): "RF", two check digits, and up to 21
 * letters or digits. The check digits make a mistyped reference fail (ISO 7064 MOD 97-10,
 * as in IBANs): move "RF" and the check digits to the end, turn letters into numbers
 * (A = 10 … Z = 35), and the number modulo 97 must be 1.
 */
const referenceBodyCharsMax = 21;
const bodyPattern = new RegExp(`^[0-9A-Z]{1,${referenceBodyCharsMax}}$`);
const referencePattern = new RegExp(`^RF[0-9]{2}[0-9A-Z]{1,${referenceBodyCharsMax}}$`);
const bodyStartPattern = new RegExp(`^[0-9A-Z]{1,${referenceBodyCharsMax}}`);

function mod97(digits: string): number {
  let remainder = 0;
  for (const char of digits) remainder = (remainder * 10 + Number(char)) % 97;
  return remainder;
}

const asDigits = (text: string) => [...text].map((char) => (/[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55))).join('');

/** The full reference for a body of 1 to 21 letters and digits. */
export function creditorReference(body: string): string {
  const upper = body.toUpperCase();
  if (!bodyPattern.test(upper)) throw new RangeError(`a creditor reference body is 1 to ${referenceBodyCharsMax} letters or digits`);
  const check = 98 - mod97(asDigits(`${upper}RF00`));
  return `RF${String(check).padStart(2, '0')}${upper}`;
}

/** Whether an IBAN-shaped text (letters upper case, no spaces) has right check digits: the
 * same ISO 7064 MOD 97-10 with the country code and check digits moved to the end. */
export function hasIbanCheckDigits(compact: string): boolean {
  return /^[A-Z]{2}\d{2}[0-9A-Z]+$/.test(compact) && mod97(asDigits(`${compact.slice(4)}${compact.slice(0, 4)}`)) === 1;
}

/** Whether the text (spaces and case ignored) is a valid creditor reference. */
export function isCreditorReference(text: string): boolean {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (!referencePattern.test(compact)) return false;
  return mod97(asDigits(`${compact.slice(4)}${compact.slice(0, 4)}`)) === 1;
}

/** The reference printed in groups of four, as on an invoice: "RF18 5390 0754 7034". */
export function formatCreditorReference(reference: string): string {
  return reference.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Every valid creditor reference in free text (remittance information, an end-to-end id, an
 * MT940 :86: field), however the payer or bank spaced or cased it. Whitespace inside a
 * reference is ignored; where the text runs on after a reference, the longest prefix whose
 * check digits hold is taken.
 */
export function findCreditorReferences(text: string): string[] {
  const found = new Set<string>();
  const compact = text.toUpperCase().replace(/\s+/g, '');
  const starts = /RF[0-9]{2}/g;
  for (let match = starts.exec(compact); match; match = starts.exec(compact)) {
    const tail = bodyStartPattern.exec(compact.slice(match.index + 4))?.[0] ?? '';
    for (let length = tail.length; length >= 1; length -= 1) {
      const candidate = `${match[0]}${tail.slice(0, length)}`;
      if (isCreditorReference(candidate)) {
        found.add(candidate);
        break;
      }
    }
    starts.lastIndex = match.index + 1;
  }
  return [...found];
}
