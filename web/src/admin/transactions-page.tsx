// Every card transaction of the company, newest first, with whose card it was: searched,
// filtered and sorted by what the address says, a page at a time, and downloadable as CSV.
// Only what happened: the simulator's network events are on the simulator's own page.
import { useTranslation } from 'react-i18next';
import { TransactionsTable } from '../cards/transactions-table';
import { transactionStateLabels } from '../cards/card-labels';
import { choicesOfLabels, usePersonAndTeamChoices } from '../lists/filter-choices';
import { personNameIn, useFilteredPages } from '../lists/use-filtered-pages';
import { ListFiltersForm, type FilterField } from '../lists/list-filters-form';
import { missingReceiptField, rangeFields, sortFields, whoFields } from '../lists/common-fields';
import { SectionPage } from '../pages/section-page';

const transactionsPageSize = 50;
const listPath = '/api/v1/card-transactions';
const filterNames = ['q', 'userId', 'teamId', 'state', 'from', 'to', 'amountMin', 'amountMax', 'missingReceipt', 'sort', 'order'] as const;
type FilterName = (typeof filterNames)[number];

function useFilterFields(): FilterField<FilterName>[] {
  const { t } = useTranslation();
  const { people, teams } = usePersonAndTeamChoices();
  return [
    { name: 'q', label: t('lists.filters.searchTransactions'), kind: 'search' },
    ...whoFields(people, teams),
    { name: 'state', label: t('lists.filters.state'), kind: 'select', options: choicesOfLabels(transactionStateLabels) },
    ...rangeFields(),
    missingReceiptField(),
    ...sortFields(),
  ];
}

export function TransactionsPage() {
  const { t } = useTranslation();
  const { filters, list: transactions, csvHref, total } = useFilteredPages(listPath, filterNames, transactionsPageSize);
  const fields = useFilterFields();
  return (
    <SectionPage title={t('lists.transactions.title')}>
      <ListFiltersForm label={t('lists.transactions.filterLabel')} fields={fields} filters={filters} csvHref={csvHref} total={total} csvFile="card-transactions.csv" />
      <TransactionsTable title={t('lists.transactions.heading')} transactions={transactions} holderName={personNameIn(transactions.pages)} />
    </SectionPage>
  );
}
