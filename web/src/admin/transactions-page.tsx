// Every card transaction of the company, newest first, with whose card it was: searched,
// filtered and sorted by what the address says, a page at a time, and downloadable as CSV.
// Only what happened: the simulator's network events are on the simulator's own page.
import { useTranslation } from 'react-i18next';
import type { FiltersOf } from '../components/use-pages';
import { usePages } from '../components/use-pages';
import { TransactionsTable } from '../cards/transactions-table';
import { transactionStateLabels } from '../cards/card-labels';
import { choicesOfLabels, usePersonAndTeamChoices } from '../lists/filter-choices';
import { csvHref, useListFilters } from '../lists/list-filters';
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
  const filters = useListFilters(filterNames);
  const transactions = usePages(listPath, transactionsPageSize, filters.values as FiltersOf<typeof listPath>);
  const fields = useFilterFields();
  const nameOf = (userId: string) => (transactions.pages.status === 'ready' ? transactions.pages.items.find((item) => item.userId === userId)?.person.name : undefined) ?? '…';
  return (
    <SectionPage title={t('lists.transactions.title')}>
      <ListFiltersForm label={t('lists.transactions.filterLabel')} fields={fields} filters={filters} csvHref={csvHref(listPath, filters.values, filterNames)} csvFile="card-transactions.csv" />
      <TransactionsTable title={t('lists.transactions.heading')} transactions={transactions} holderName={nameOf} />
    </SectionPage>
  );
}
