// The filters both company-wide lists (transactions, expenses) share: whose, when, how much,
// whether a receipt is missing, and the sort and order.
import { t } from '../i18n/i18n';
import type { Choice } from './filter-choices';
import type { FilterField } from './list-filters-form';

export function whoFields(people: Choice[], teams: Choice[]): FilterField<'userId' | 'teamId'>[] {
  return [
    { name: 'userId', label: t('lists.filters.person'), kind: 'select', options: people },
    { name: 'teamId', label: t('lists.filters.team'), kind: 'select', options: teams },
  ];
}

export function rangeFields(): FilterField<'from' | 'to' | 'amountMin' | 'amountMax'>[] {
  return [
    { name: 'from', label: t('lists.filters.from'), kind: 'date' },
    { name: 'to', label: t('lists.filters.to'), kind: 'date' },
    { name: 'amountMin', label: t('lists.filters.amountMin'), kind: 'amount' },
    { name: 'amountMax', label: t('lists.filters.amountMax'), kind: 'amount' },
  ];
}

export function sortFields(): FilterField<'sort' | 'order'>[] {
  return [
    {
      name: 'sort',
      label: t('lists.filters.sort'),
      kind: 'select',
      unsetLabel: t('lists.sort.date'),
      options: [
        { value: 'amount', label: t('lists.sort.amount') },
        { value: 'merchant', label: t('lists.sort.merchant') },
        { value: 'person', label: t('lists.sort.person') },
      ],
    },
    { name: 'order', label: t('lists.filters.order'), kind: 'select', unsetLabel: t('lists.sort.desc'), options: [{ value: 'asc', label: t('lists.sort.asc') }] },
  ];
}

export function missingReceiptField(): FilterField<'missingReceipt'> {
  return {
    name: 'missingReceipt',
    label: t('lists.filters.missingReceipt'),
    kind: 'select',
    options: [
      { value: 'true', label: t('lists.filters.yes') },
      { value: 'false', label: t('lists.filters.no') },
    ],
  };
}
