// The company's expenses for admins and bookkeepers: searched, filtered (person, team, state,
// category, dates, amount, missing receipt) and sorted by what the address says, a page at a
// time, each row naming whose it is, and downloadable as CSV. Their own expenses, with the
// buttons to add one, stay on "My expenses".
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getQuery } from '../api/queries';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { missingReceiptField, rangeFields, sortFields, whoFields } from '../lists/common-fields';
import { choicesOfLabels, usePersonAndTeamChoices } from '../lists/filter-choices';
import { personNameIn, useFilteredPages } from '../lists/use-filtered-pages';
import { ListFiltersForm, type FilterField } from '../lists/list-filters-form';
import { SectionPage } from '../pages/section-page';
import { Link } from '../router';
import { expenseStateLabels } from './expense-labels';
import { ExpensesTable } from './expenses-table';

const expensesPageSize = 50;
const listPath = '/api/v1/expenses';
const filterNames = ['q', 'userId', 'teamId', 'state', 'categoryId', 'from', 'to', 'amountMin', 'amountMax', 'missingReceipt', 'sort', 'order'] as const;
type FilterName = (typeof filterNames)[number];

function useFilterFields(): FilterField<FilterName>[] {
  const { t } = useTranslation();
  const { people, teams } = usePersonAndTeamChoices();
  const categories = useQuery(getQuery('/api/v1/expense-categories'));
  const categoryChoices = (categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }));
  return [
    { name: 'q', label: t('lists.filters.searchExpenses'), kind: 'search' },
    ...whoFields(people, teams),
    { name: 'state', label: t('lists.filters.state'), kind: 'select', options: choicesOfLabels(expenseStateLabels) },
    { name: 'categoryId', label: t('lists.filters.category'), kind: 'select', options: categoryChoices },
    ...rangeFields(),
    missingReceiptField(),
    ...sortFields(),
  ];
}

export function CompanyExpensesPage() {
  const { t } = useTranslation();
  const { filters, list: expenses, csvHref, total } = useFilteredPages(listPath, filterNames, expensesPageSize);
  const fields = useFilterFields();
  const { pages } = expenses;
  return (
    <SectionPage title={t('lists.expenses.title')} lead={<Link href="/expenses/mine">{t('lists.expenses.mine')}</Link>}>
      <ListFiltersForm label={t('lists.expenses.filterLabel')} fields={fields} filters={filters} csvHref={csvHref} total={total} csvFile="expenses.csv" />
      <section className="card wide-card" aria-labelledby="company-expenses-heading">
        <div className="card-title-row">
          <h2 id="company-expenses-heading">{t('lists.expenses.heading')}</h2>
          <button type="button" className="link-button" onClick={expenses.reload} disabled={expenses.fetching}>
            {t('lists.refresh')}
          </button>
        </div>
        {pages.status === 'loading' && <Loading what={t('lists.expenses.loading')} />}
        {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={expenses.reload} />}
        {pages.status === 'ready' && (pages.items.length === 0 ? <Empty>{t('lists.expenses.empty')}</Empty> : <ExpensesTable expenses={pages.items} ownerName={personNameIn(pages)} />)}
        <MoreButton pages={pages} onMore={expenses.loadMore} what={t('lists.expenses.loading')} />
      </section>
    </SectionPage>
  );
}
