// Receipt words as people read them: a purchase's receipt state, how far reading got, what
// was read, and why a receipt looks like a duplicate.
import type { Receipt, TransactionReceiptState } from '../api/types';
import { formatDate, formatMoney } from '../format';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

export const transactionReceiptLabels: Record<TransactionReceiptState, string> = labelsOf('receipts.labels.states', en.receipts.labels.states);

export const duplicateLabels: Record<NonNullable<Receipt['duplicate']>['reason'], string> = labelsOf('receipts.labels.duplicates', en.receipts.labels.duplicates);

/** While Outlay is still reading a receipt, its fields are not there yet. */
export function isBeingRead(receipt: Receipt): boolean {
  return receipt.reading.state === 'queued' || receipt.reading.state === 'reading';
}

/** The total as printed, with its currency when that was read too. */
export function readTotal(receipt: Receipt): string | null {
  const { total, currency } = receipt.fields;
  if (total === null) return null;
  return currency ? formatMoney({ amount: total, currency }) : total;
}

/** What a person calls a receipt: the shop on it, else the file or the e-mail it came in. */
export function receiptName(receipt: Receipt): string {
  if (receipt.fields.merchant) return receipt.fields.merchant;
  if (receipt.email?.subject) return receipt.email.subject;
  return receipt.fileName ?? t('receipts.labels.receipt');
}

export function readFieldsText(receipt: Receipt): { label: string; value: string }[] {
  const { fields } = receipt;
  return [
    { label: t('expenses.fields.merchant'), value: fields.merchant ?? '—' },
    { label: t('expenses.fields.date'), value: fields.date ? formatDate(fields.date) : '—' },
    { label: t('receipts.labels.total'), value: readTotal(receipt) ?? '—' },
    { label: t('expenses.fields.currency'), value: fields.currency ?? '—' },
  ];
}
