// Card words as people read them: kinds, statuses, transaction states and decline reasons.
import type { CancelReason, CardKind, CardStatus, CardTransaction, CardTransactionState, Channel, LimitPeriod, MerchantCategoryGroup, ReplaceReason } from '../api/types';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

const labels = en.cards.labels;

export const cardKindLabels: Record<CardKind, string> = labelsOf('cards.labels.kinds', labels.kinds);

export const cardStatusLabels: Record<CardStatus, string> = labelsOf('cards.labels.statuses', labels.statuses);

export const cancelReasonLabels: Record<CancelReason, string> = labelsOf('cards.labels.cancelReasons', labels.cancelReasons);

export const replaceReasonLabels: Record<ReplaceReason, string> = labelsOf('cards.labels.replaceReasons', labels.replaceReasons);

export const channelLabels: Record<Channel, string> = labelsOf('cards.labels.channels', labels.channels);

export const categoryGroupLabels: Record<MerchantCategoryGroup, string> = labelsOf('cards.labels.categoryGroups', labels.categoryGroups);

/** ISO weekdays: 1 is Monday. */
export const weekdayLabels: Record<string, string> = labelsOf('cards.labels.weekdays', labels.weekdays);

/** Purchases need no label; the other kinds change how a row reads. */
export const transactionKindLabels = Object.defineProperty(labelsOf('cards.labels.transactionKinds', labels.transactionKinds), 'purchase', { value: null, enumerable: true }) as Record<CardTransaction['kind'], string | null>;

export const transactionStateLabels: Record<CardTransactionState, string> = labelsOf('cards.labels.transactionStates', labels.transactionStates);

export const periodLabels: Record<LimitPeriod, string> = labelsOf('cards.labels.periods', labels.periods);

/** The reasons authorize.ts returns, in its precedence order, as plain words. */
const declineReasonLabels: Record<string, string> = labelsOf('cards.labels.declineReasons', labels.declineReasons);

export function declineReasonText(transaction: Pick<CardTransaction, 'declineReason' | 'declinePeriod'>): string {
  const { declineReason: reason, declinePeriod: period } = transaction;
  if (reason === null) return t('cards.labels.declined');
  if (reason === 'over_period_limit') {
    return period ? t('cards.labels.overPeriodLimit', { period: periodLabels[period].toLowerCase() }) : t('cards.labels.overALimit');
  }
  // A reason the app does not know yet is shown as sent, with its underscores as spaces.
  return declineReasonLabels[reason] ?? reason.replaceAll('_', ' ');
}

export function formatExpiry(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
}
