// A reimbursement payout batch as a SEPA credit transfer order: ISO 20022 message
// pain.001.001.03 (CustomerCreditTransferInitiationV03) under the EPC's SEPA Credit Transfer
// rulebook and its customer-to-bank implementation guidelines (EPC132-08), which the
// company uploads to its bank. One payment information block, booked as one debit
// (BtchBookg), so that the bank statement shows the batch as the single amount Outlay
// recorded.
//
// Everything is checked before anything is written: an IBAN that fails its check digits is
// refused with InvalidIbanError, any other fault with CreditTransferOrderError, both naming
// the field. Text is limited to the EPC's Latin character set and lengths.
import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from 'ibantools';
import { create } from 'xmlbuilder2';
import type { CreditTransferOrder } from '../exports/export-model.js';
import { formatAmount } from '../money/money.js';
import { DomainError } from '../shared/errors.js';

export const pain001Namespace = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

/** Transfers in one file: a bound, far above one company's payout batch; more is split. */
export const transfersPerFileMax = 10_000;
/** EPC132-08: names (Nm) at most 70 characters, unstructured remittance (Ustrd) 140. */
export const sepaNameCharsMax = 70;
export const sepaRemittanceCharsMax = 140;
/** MsgId, PmtInfId and EndToEndId are Max35Text. */
export const sepaIdentifierCharsMax = 35;
/** EPC rulebook: an SCT is 0.01 to 999,999,999.99 EUR. */
export const sepaAmountMinorMax = 99_999_999_999n;

export class InvalidIbanError extends DomainError {
  constructor(
    field: string,
    readonly iban: string,
    detail = 'is not a valid IBAN (its check digits or its length for the country are wrong)',
  ) {
    super('validation_failed', `${field}: "${iban}" ${detail}`, field);
    this.name = 'InvalidIbanError';
  }
}

export class CreditTransferOrderError extends DomainError {
  constructor(field: string, detail: string) {
    super('validation_failed', `${field}: ${detail}`, field);
    this.name = 'CreditTransferOrderError';
  }
}

/** EPC132-08, "Character Set": the Latin characters every SEPA bank must carry. */
const sepaCharacter = /[A-Za-z0-9/\-?:().,'+ ]/;

/** Spellings the Latin set lacks, the way people write them without the letter. */
const spellings: ReadonlyMap<string, string> = new Map([
  ['ä', 'ae'], ['Ä', 'Ae'], ['ö', 'oe'], ['Ö', 'Oe'], ['ü', 'ue'], ['Ü', 'Ue'], ['ß', 'ss'], ['ẞ', 'SS'],
  ['å', 'aa'], ['Å', 'Aa'], ['æ', 'ae'], ['Æ', 'Ae'], ['ø', 'oe'], ['Ø', 'Oe'], ['œ', 'oe'], ['Œ', 'Oe'],
  ['þ', 'th'], ['Þ', 'Th'], ['ð', 'd'], ['Ð', 'D'], ['đ', 'd'], ['Đ', 'D'], ['ł', 'l'], ['Ł', 'L'], ['ı', 'i'],
  ['&', '+'], ['‘', "'"], ['’', "'"], ['‚', "'"], ['“', "'"], ['”', "'"], ['„', "'"], ['"', "'"], ['–', '-'], ['—', '-'],
]);

function sepaCharacters(character: string): string {
  const spelt = spellings.get(character) ?? character.normalize('NFD').replace(/\p{M}/gu, '');
  return [...spelt].map((plain) => (sepaCharacter.test(plain) ? plain : /\s/.test(plain) ? ' ' : '.')).join('');
}

/** Text in the SEPA character set, cut to charsMax: "Jürgen Weiß & Co" -> "Juergen Weiss + Co". */
export function sepaText(text: string, charsMax: number): string {
  const plain = [...text].map(sepaCharacters).join('').replace(/ {2,}/g, ' ').trim();
  return plain.slice(0, charsMax).trimEnd();
}

/** EPC132-08: identifiers use the Latin set, and neither start nor end with "/" nor hold "//". */
function identifier(value: string, field: string): string {
  if (
    value.length === 0 || value.length > sepaIdentifierCharsMax || ![...value].every((c) => sepaCharacter.test(c) && c !== ' ') ||
    value.startsWith('/') || value.endsWith('/') || value.includes('//')
  ) {
    throw new CreditTransferOrderError(field, `"${value}" is not a SEPA reference (1-${sepaIdentifierCharsMax} of A-Z a-z 0-9 / - ? : ( ) . , ' +, no leading, trailing or double "/")`);
  }
  return value;
}

function iban(value: string, field: string): string {
  const electronic = electronicFormatIBAN(value) ?? '';
  if (!isValidIBAN(electronic)) throw new InvalidIbanError(field, value);
  if (!isSEPACountry(electronic.slice(0, 2))) throw new InvalidIbanError(field, value, 'is from a country outside the SEPA scheme');
  return electronic;
}

function bic(value: string | null, field: string): string | null {
  if (value === null) return null;
  const normal = value.replace(/\s/g, '').toUpperCase();
  if (!isValidBIC(normal)) throw new CreditTransferOrderError(field, `"${value}" is not a BIC (8 or 11 characters, ISO 9362)`);
  return normal;
}

function name(value: string, field: string): string {
  const text = sepaText(value, sepaNameCharsMax);
  if (text.length === 0) throw new CreditTransferOrderError(field, 'a name is needed, in Latin letters');
  return text;
}

function amount(value: bigint, field: string): string {
  if (value <= 0n || value > sepaAmountMinorMax) throw new CreditTransferOrderError(field, 'a SEPA credit transfer is 0.01 to 999999999.99 EUR');
  return formatAmount(value, 'EUR');
}

function isoDate(value: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) throw new CreditTransferOrderError(field, `"${value}" is not a date (YYYY-MM-DD)`);
  return value;
}

function checkOrder(order: CreditTransferOrder): void {
  if (order.transfers.length === 0 || order.transfers.length > transfersPerFileMax) {
    throw new CreditTransferOrderError('transfers', `a file holds 1 to ${transfersPerFileMax} transfers, this order has ${order.transfers.length}`);
  }
  // SEPA credit transfers are in euro only (EPC rulebook); SvcLvl SEPA says so to the bank.
  if (order.currency !== 'EUR') throw new CreditTransferOrderError('currency', `SEPA credit transfers are in EUR, not ${order.currency}`);
  if (Number.isNaN(order.createdAt.getTime())) throw new CreditTransferOrderError('createdAt', 'is not a time');
}

interface Transfer {
  endToEndId: string;
  amount: bigint;
  instructedAmount: string;
  creditor: { name: string; iban: string; bic: string | null };
  remittance: string;
}

function checkedTransfers(order: CreditTransferOrder): Transfer[] {
  const seen = new Set<string>();
  return order.transfers.map((transfer, index) => {
    const field = `transfers[${index}]`;
    const endToEndId = identifier(transfer.endToEndId, `${field}.endToEndId`);
    if (seen.has(endToEndId)) throw new CreditTransferOrderError(`${field}.endToEndId`, `"${endToEndId}" is used by an earlier transfer`);
    seen.add(endToEndId);
    return {
      endToEndId,
      amount: transfer.amount,
      instructedAmount: amount(transfer.amount, `${field}.amount`),
      creditor: {
        name: name(transfer.creditor.name, `${field}.creditor.name`),
        iban: iban(transfer.creditor.iban, `${field}.creditor.iban`),
        bic: bic(transfer.creditor.bic, `${field}.creditor.bic`),
      },
      remittance: sepaText(transfer.remittance, sepaRemittanceCharsMax),
    };
  });
}

function transferElement(transfer: Transfer): Record<string, unknown> {
  return {
    PmtId: { EndToEndId: transfer.endToEndId },
    Amt: { InstdAmt: { '@Ccy': 'EUR', '#': transfer.instructedAmount } },
    // Regulation (EU) 260/2012: since 2016 no BIC is needed in the EEA; the IBAN routes it.
    ...(transfer.creditor.bic ? { CdtrAgt: { FinInstnId: { BIC: transfer.creditor.bic } } } : {}),
    Cdtr: { Nm: transfer.creditor.name },
    CdtrAcct: { Id: { IBAN: transfer.creditor.iban } },
    ...(transfer.remittance ? { RmtInf: { Ustrd: transfer.remittance } } : {}),
  };
}

export function writePain001(order: CreditTransferOrder): Buffer {
  checkOrder(order);
  const messageId = identifier(order.messageId, 'messageId');
  const executionDate = isoDate(order.executionDate, 'executionDate');
  const debtorName = name(order.debtor.name, 'debtor.name');
  const debtorIban = iban(order.debtor.iban, 'debtor.iban');
  const debtorBic = bic(order.debtor.bic, 'debtor.bic');
  const transfers = checkedTransfers(order);
  const count = String(transfers.length);
  const controlSum = formatAmount(transfers.reduce((sum, transfer) => sum + transfer.amount, 0n), 'EUR');
  const document = {
    Document: {
      '@xmlns': pain001Namespace,
      CstmrCdtTrfInitn: {
        GrpHdr: { MsgId: messageId, CreDtTm: `${order.createdAt.toISOString().slice(0, 19)}Z`, NbOfTxs: count, CtrlSum: controlSum, InitgPty: { Nm: debtorName } },
        PmtInf: {
          PmtInfId: messageId,
          PmtMtd: 'TRF',
          BtchBookg: 'true',
          NbOfTxs: count,
          CtrlSum: controlSum,
          PmtTpInf: { SvcLvl: { Cd: 'SEPA' } },
          ReqdExctnDt: executionDate,
          Dbtr: { Nm: debtorName },
          DbtrAcct: { Id: { IBAN: debtorIban } },
          // EPC132-08: without the debtor's BIC, "NOTPROVIDED" in Othr/Id.
          DbtrAgt: { FinInstnId: debtorBic ? { BIC: debtorBic } : { Othr: { Id: 'NOTPROVIDED' } } },
          ChrgBr: 'SLEV',
          CdtTrfTxInf: transfers.map(transferElement),
        },
      },
    },
  };
  return Buffer.from(`${create({ version: '1.0', encoding: 'UTF-8' }, document).end({ prettyPrint: true })}\n`, 'utf8');
}
