// How the company-wide list of card transactions looks: each as GET
// /api/v1/card-transactions/:id shows it, with its person's and team's names and its card's
// last four digits; the page with its total; and the CSV.
import { Type } from 'typebox';
import { localDateOf, localTime } from '../companies/company-calendar.js';
import type { CsvColumn } from '../http/csv-download.js';
import { formatAmount } from '../money/money.js';
import type { CardTransactionSearchRow } from './card-transaction-search.service.js';
import { CardTransactionSchema, presentCardTransaction } from './card-transactions.presenters.js';

export const CardTransactionListItemSchema = Type.Object(
  {
    ...CardTransactionSchema.properties,
    person: Type.Object({ id: Type.String(), name: Type.String() }, { description: 'The cardholder' }),
    team: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
    card: Type.Object({ id: Type.String(), last4: Type.String() }),
  },
  { $id: 'CardTransactionListItem' },
);

export const CardTransactionListSchema = Type.Object(
  {
    items: Type.Array(Type.Ref('CardTransactionListItem')),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor (with the same filters and sort) for the next page; null on the last' }),
    total: Type.Integer({ description: 'How many transactions the filters find, all pages together' }),
  },
  { $id: 'CardTransactionList' },
);

export function presentCardTransactionListItem(row: CardTransactionSearchRow) {
  return {
    ...presentCardTransaction(row),
    person: { id: row.user_id, name: row.person_name },
    team: row.team_id && row.team_name ? { id: row.team_id, name: row.team_name } : null,
    card: { id: row.card_id, last4: row.card_last4 },
  };
}

/** The columns of the transactions CSV: amounts as decimal strings beside their currency,
 * the date and time in the company's time zone. */
export function cardTransactionCsvColumns(timeZone: string): CsvColumn<CardTransactionSearchRow>[] {
  const time = (at: Date) => {
    const local = localTime(at, timeZone);
    return `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
  };
  return [
    { header: 'transaction_id', cell: (row) => row.id },
    { header: 'date', cell: (row) => localDateOf(row.occurred_at, timeZone) },
    { header: 'time', cell: (row) => time(row.occurred_at) },
    { header: 'person', cell: (row) => row.person_name },
    { header: 'team', cell: (row) => row.team_name },
    { header: 'card_last4', cell: (row) => row.card_last4 },
    { header: 'kind', cell: (row) => row.kind },
    { header: 'state', cell: (row) => row.state },
    { header: 'decline_reason', cell: (row) => row.decline_reason },
    { header: 'merchant', cell: (row) => row.merchant_name },
    { header: 'merchant_country', cell: (row) => row.merchant_country },
    { header: 'amount', cell: (row) => formatAmount(row.settled_amount ?? row.wallet_amount, row.wallet_currency), numeric: true },
    { header: 'currency', cell: (row) => row.wallet_currency },
    { header: 'merchant_amount', cell: (row) => formatAmount(row.settled_merchant_amount ?? row.merchant_amount, row.merchant_currency), numeric: true },
    { header: 'merchant_currency', cell: (row) => row.merchant_currency },
    { header: 'receipt', cell: (row) => row.receipt_state },
  ];
}
