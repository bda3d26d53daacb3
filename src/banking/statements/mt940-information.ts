// Field :86:, "information to account owner", as banks structure it:
// - German banks (DFÜ-Abkommen, Anlage 3): a three-digit business transaction code, then
//   subfields ?00 posting text, ?10 primanota, ?20-?29 and ?60-?63 purpose lines of 27
//   characters, ?30 bank code or BIC, ?31 account or IBAN, ?32-?33 name; Polish banks put the
//   IBAN in ?38; Triodos marks the same subfields with ">" ("000>20HUUR>31..."). SEPA payments carry keys in the purpose lines: EREF+ end-to-end id,
//   KREF+ customer reference, MREF+ mandate, CRED+ creditor id, SVWZ+ remittance, ...
// - Dutch and other banks: /KEY/value pairs (ING: /EREF/.../CNTP/iban/bic/name/city/REMI/USTD//text/,
//   ABN AMRO: /TRTP/.../IBAN/.../BIC/.../NAME/.../REMI/.../EREF/...).
// - Polish banks (mBank and others, outside the ?-subfields): "LABEL: value" parts separated
//   by ";": Z RACH.: / NA RACH.: the other account (26-digit NRB, the IBAN without "PL"),
//   OD: / DLA: / DO: the other party (its name on the first line, the address after), TYT.:
//   the title of the transfer.
// - Russian banks (ING Eurasia and others): "~NN" subfields: ~01 the recipient's name, ~03
//   account, ~06 the purpose of payment, ~21 the payer's name, ~23 account (20-digit Russian
//   accounts, which are not IBANs). The other party is the payer on a credit and the
//   recipient on a debit.
// - ASN Bank and others: the other party's IBAN and name on the first line, the remittance
//   text on the lines below ("NL47INGB0001234567 J. Jansen" / "Betaling sieraden").
// - Otherwise free text.
import { hasIbanCheckDigits } from '../creditor-reference.js';
import type { Counterparty } from './statement.js';

export interface Mt940Information {
  information: string;
  endToEndId: string | null;
  remittanceInformation: string | null;
  counterparty: Counterparty | null;
}

/** DFÜ-Abkommen purpose lines (?20-?29, ?60-?63) are 27 characters. */
const purposeLineChars = 27;
/** SWIFT :86: lines are 65 characters (6*65x). */
const swiftLineChars = 65;

/** SEPA keys (DFÜ-Abkommen, "SEPA-Verwendungszweck") and the longest value SEPA allows each. */
const sepaKeyChars: Readonly<Record<string, number>> = {
  EREF: 35,
  KREF: 35,
  MREF: 35,
  CRED: 35,
  DEBT: 35,
  COAM: 35,
  OAMT: 35,
  IBAN: 34,
  BIC: 11,
  ABWA: 70,
  ABWE: 70,
  SVWZ: 140,
};
const sepaKeyPattern = new RegExp(`^(${Object.keys(sepaKeyChars).join('|')})\\+`);
const inlineSepaKeyPattern = new RegExp(`(?:^|\\s)(${Object.keys(sepaKeyChars).join('|')})\\+`, 'g');

const slashKeys = ['TRTP', 'IBAN', 'BIC', 'EREF', 'MARF', 'CSID', 'CNTP', 'REMI', 'PURP', 'ULTC', 'ULTD', 'RTRN', 'ISDT', 'BENM', 'ORDP', 'NAME', 'ADDR', 'ACCW', 'TRCD', 'BUSP', 'IREF', 'PREF', 'OCMT', 'CHGS', 'EXCH'];
const slashKeyPattern = new RegExp(`/(${slashKeys.join('|')})/`, 'g');
const slashKeyStart = new RegExp(`^/(${slashKeys.join('|')})/`);

const ibanPattern = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;
const bicPattern = /^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

function shaped(value: string | undefined, pattern: RegExp): string | null {
  const compact = value?.replace(/\s+/g, '') ?? '';
  return pattern.test(compact) ? compact : null;
}

function clean(text: string | undefined): string | null {
  const collapsed = text?.replace(/\s+/g, ' ').trim() ?? '';
  return collapsed === '' ? null : collapsed;
}

/** Joins lines of fixed width: a full line was cut by width, maybe inside a word, so the next
 * follows directly; a shorter line ended where the bank ended it, so a space follows. */
function joinWrapped(lines: readonly string[], width: number): string {
  return lines.reduce((text, line, index) => (index === 0 ? line : text + (lines[index - 1]!.length >= width ? '' : ' ') + line), '');
}

function counterpartyOf(name: string | null, iban: string | null, bic: string | null): Counterparty | null {
  return name === null && iban === null && bic === null ? null : { name, iban, bic };
}

interface KeyedPurpose {
  values: Map<string, string>;
  freeText: string[];
}

/** Purpose lines with SEPA keys. A line without a key continues the open key's value unless
 * that would make it longer than SEPA allows (a 35-character EREF+ is complete); then it and
 * the lines up to the next key are free text, kept for the remittance information. */
function readSepaKeys(purpose: readonly string[]): KeyedPurpose {
  const values = new Map<string, string>();
  const freeText: string[] = [];
  let open: string | null = null;
  for (const line of purpose) {
    const key = sepaKeyPattern.exec(line)?.[1];
    if (key) {
      open = values.has(key) ? null : key;
      if (open) values.set(key, line.slice(key.length + 1));
      else freeText.push(line);
    } else if (open && values.get(open)!.length + line.length <= sepaKeyChars[open]!) {
      values.set(open, values.get(open)! + line);
    } else {
      open = null;
      freeText.push(line);
    }
  }
  return { values, freeText };
}

function fromSepaKeys(keyed: KeyedPurpose, width: number): Pick<Mt940Information, 'endToEndId' | 'remittanceInformation'> & { iban: string | null; bic: string | null } {
  const remittance = [keyed.values.get('SVWZ'), keyed.freeText.length > 0 ? joinWrapped(keyed.freeText, width) : undefined];
  return {
    endToEndId: clean(keyed.values.get('EREF')),
    remittanceInformation: clean(remittance.filter((part) => part !== undefined).join(' ')),
    iban: shaped(keyed.values.get('IBAN'), ibanPattern),
    bic: shaped(keyed.values.get('BIC'), bicPattern),
  };
}

const subfieldPattern = /\?(\d{2})/g;

function isPurposeCode(code: number): boolean {
  return (code >= 20 && code <= 29) || (code >= 60 && code <= 63);
}

/** "166?00GUTSCHRIFT?20EREF+..." with the line breaks of the field removed. */
function readSubfields(text: string): Map<number, string[]> {
  const subfields = new Map<number, string[]>();
  const marks = [...text.matchAll(subfieldPattern)];
  marks.forEach((mark, index) => {
    const code = Number(mark[1]);
    const value = text.slice(mark.index + mark[0].length, marks[index + 1]?.index ?? text.length);
    subfields.set(code, [...(subfields.get(code) ?? []), value]);
  });
  return subfields;
}

/** "~01ООО Ромашка~0277...~06Оплата по счёту 12": Russian subfields, marked like the German ones with "~". */
function readTildeSubfields(text: string): Map<number, string> {
  const subfields = new Map<number, string>();
  const marks = [...text.matchAll(/~(\d{2})/g)];
  marks.forEach((mark, index) => {
    const code = Number(mark[1]);
    if (!subfields.has(code)) subfields.set(code, text.slice(mark.index + mark[0].length, marks[index + 1]?.index ?? text.length));
  });
  return subfields;
}

function fromRussianSubfields(text: string, debit: boolean | null): Omit<Mt940Information, 'information'> {
  const subfields = readTildeSubfields(text);
  // Without the direction the other party is unknown; the purpose is read all the same.
  const name = debit === null ? null : clean(subfields.get(debit ? 1 : 21));
  return { endToEndId: null, remittanceInformation: clean(subfields.get(6)), counterparty: counterpartyOf(name, null, null) };
}

function fromGermanSubfields(text: string): Omit<Mt940Information, 'information'> {
  const subfields = readSubfields(text);
  const purpose = [...subfields.entries()].filter(([code]) => isPurposeCode(code)).flatMap(([, values]) => values);
  const hasKeys = purpose.some((line) => sepaKeyPattern.test(line));
  const sepa = hasKeys ? fromSepaKeys(readSepaKeys(purpose), purposeLineChars) : null;
  const plain = purpose.length > 0 ? clean(joinWrapped(purpose, purposeLineChars)) : null;
  const nameLines = [...(subfields.get(32) ?? []), ...(subfields.get(33) ?? [])];
  const iban = shaped(subfields.get(31)?.[0], ibanPattern) ?? shaped(subfields.get(38)?.[0], ibanPattern) ?? sepa?.iban ?? null;
  const bic = shaped(subfields.get(30)?.[0], bicPattern) ?? sepa?.bic ?? null;
  return {
    endToEndId: sepa?.endToEndId ?? null,
    remittanceInformation: sepa ? sepa.remittanceInformation : plain,
    counterparty: counterpartyOf(clean(joinWrapped(nameLines, purposeLineChars)), iban, bic),
  };
}

/** "/EREF/123//CNTP/NL91ABNA0417164300/ABNANL2A/J. Jansen/Amsterdam//REMI/USTD//Invoice 7/". */
function fromSlashKeys(text: string): Omit<Mt940Information, 'information'> {
  const marks = [...text.matchAll(slashKeyPattern)];
  const values = new Map<string, string>();
  marks.forEach((mark, index) => {
    const value = text.slice(mark.index + mark[0].length, marks[index + 1]?.index ?? text.length);
    if (!values.has(mark[1]!)) values.set(mark[1]!, value.replace(/^\/+|\/+$/g, ''));
  });
  const cntp = values.get('CNTP')?.split('/') ?? [];
  const remi = values.get('REMI') ?? '';
  const remittance = /^USTD\/\/?/.test(remi) ? remi.replace(/^USTD\/\/?/, '') : /^STRD\//.test(remi) ? (remi.split('/').at(-1) ?? '') : remi;
  return {
    endToEndId: clean(values.get('EREF')),
    remittanceInformation: clean(remittance),
    counterparty: counterpartyOf(
      clean(cntp[2] ?? values.get('NAME')),
      shaped(cntp[0] ?? values.get('IBAN') ?? values.get('ACCW'), ibanPattern),
      shaped(cntp[1] ?? values.get('BIC'), bicPattern),
    ),
  };
}

const polishLabelPattern = /^(Z RACH\.|NA RACH\.|OD|DLA|DO|TYT\.)\s*:\s*([\s\S]*)$/;

function polishParts(information: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of information.split(';')) {
    const match = polishLabelPattern.exec(part.trim());
    if (match && !parts.has(match[1]!)) parts.set(match[1]!, match[2]!);
  }
  return parts;
}

/** A Polish NRB is the IBAN without its "PL": taken as the IBAN when the check digits say so. */
function polishAccount(value: string | undefined): string | null {
  const compact = value?.replace(/\s+/g, '') ?? '';
  const iban = /^\d{26}$/.test(compact) ? `PL${compact}` : compact;
  return ibanPattern.test(iban) && hasIbanCheckDigits(iban) ? iban : null;
}

function fromPolishLabels(parts: Map<string, string>): Omit<Mt940Information, 'information'> {
  const party = parts.get('OD') ?? parts.get('DLA') ?? parts.get('DO');
  return {
    endToEndId: null,
    remittanceInformation: clean(parts.get('TYT.')),
    counterparty: counterpartyOf(clean(party?.trim().split('\n')[0]), polishAccount(parts.get('Z RACH.') ?? parts.get('NA RACH.')), null),
  };
}

const ibanAndNamePattern = /^([A-Z]{2}\d{2}[A-Z0-9]{11,30}) +(\S.*)$/;

/** The first line is an IBAN and a name, and there is more below it. */
function fromIbanFirstLine(lines: readonly string[]): Omit<Mt940Information, 'information'> | null {
  const match = ibanAndNamePattern.exec(lines[0]!.trim());
  if (!match || lines.length < 2) return null;
  return {
    endToEndId: null,
    remittanceInformation: clean(joinWrapped(lines.slice(1).map((line) => line.trimEnd()), swiftLineChars)),
    counterparty: counterpartyOf(clean(match[2]), match[1]!, null),
  };
}

/** Free text; SEPA keys written inline ("EREF+123 SVWZ+Invoice 7") are still read. */
function fromFreeText(lines: readonly string[]): Omit<Mt940Information, 'information'> {
  const text = joinWrapped(lines, swiftLineChars);
  const marks = [...text.matchAll(inlineSepaKeyPattern)];
  if (marks.length === 0) return { endToEndId: null, remittanceInformation: clean(text), counterparty: null };
  const values = new Map<string, string>();
  marks.forEach((mark, index) => {
    const start = mark.index + mark[0].length;
    values.set(mark[1]!, text.slice(start, marks[index + 1]?.index ?? text.length));
  });
  const before = text.slice(0, marks[0]!.index);
  return {
    endToEndId: clean(values.get('EREF')),
    remittanceInformation: clean(`${before} ${values.get('SVWZ') ?? ''}`),
    counterparty: counterpartyOf(null, shaped(values.get('IBAN'), ibanPattern), shaped(values.get('BIC'), bicPattern)),
  };
}

/** `debit` is the direction of the entry the :86: describes (null when unknown); the Russian
 * dialect names both parties, and only the direction tells which is the other one. */
export function readInformation(lines: readonly string[], debit: boolean | null = null): Mt940Information {
  const trimmed = lines.map((line, index) => (index === 0 ? line.trimStart() : line));
  const information = trimmed.join('\n');
  // Subfields and /KEY/ pairs are cut into lines anywhere, even inside "?2" "1"; the line
  // breaks carry no meaning there.
  const joined = trimmed.join('');
  // The business transaction code is missing in some exports; the subfields are still there.
  if (/^(?:\d{3}(?:\?\d{2}|$)|\?\d{2})/.test(joined)) return { information, ...fromGermanSubfields(joined) };
  if (/^\d{3}>\d{2}/.test(joined)) return { information, ...fromGermanSubfields(joined.replace(/>(\d{2})/g, '?$1')) };
  if (slashKeyStart.test(joined)) return { information, ...fromSlashKeys(joined) };
  if (/^~\d{2}/.test(joined)) return { information, ...fromRussianSubfields(joined, debit) };
  const polish = polishParts(information);
  if (polish.size >= 2) return { information, ...fromPolishLabels(polish) };
  return { information, ...(fromIbanFirstLine(trimmed) ?? fromFreeText(trimmed)) };
}
