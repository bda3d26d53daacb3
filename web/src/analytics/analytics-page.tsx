// The spend overview for admins and bookkeepers: spend by month, category, team, merchant,
// person and kind (card or out of pocket), this month against last month and a year ago,
// declines by reason and missing receipts, all under the same filters (period, team, category
// and tag; declines take no category or tag, the comparison has its own months), each
// chart with its figures and its CSV download. The API sums everything; the page only draws.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { getQuery } from '../api/queries';
import type { Money } from '../api/types';
import { Loaded } from '../components/loaded';
import { formatMoney } from '../format';
import { t } from '../i18n/i18n';
import { SpendChart, type ChartItem } from './spend-chart';

type SeriesPath = '/api/v1/analytics/spend' | '/api/v1/analytics/declines' | '/api/v1/analytics/missing-receipts';
type SpendBy = 'month' | 'category' | 'team' | 'person' | 'merchant' | 'kind';

interface Filters {
  from: string;
  to: string;
  teamId: string;
  categoryId: string;
  tagId: string;
  userId: string;
  cardId: string;
}

/** Declines are purchases, not expenses: they have no category or tag to filter by. */
const forDeclines = (filters: Filters): Filters => ({ ...filters, categoryId: '', tagId: '' });

interface SeriesItem {
  key: string | null;
  label: string | null;
  amount: Money;
  count: number;
}

const topItems = 10;
/** People and cards offered in the filters' lists. */
const choicesMax = 200;

/** The filters as query parameters, those left empty left out. */
function filterQuery(filters: Filters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== ''));
}

function csvUrl(path: SeriesPath | '/api/v1/analytics/comparison', query: Record<string, string>): string {
  return `${path}?${new URLSearchParams({ ...query, format: 'csv' }).toString()}`;
}

function itemName(item: SeriesItem, by: SpendBy | 'reason'): string {
  if (by === 'kind' || by === 'reason') return item.key === null ? t('analytics.none') : t(`analytics.${by === 'kind' ? 'kinds' : 'reasons'}.${item.key}`, { defaultValue: item.key });
  return item.label ?? item.key ?? t('analytics.none');
}

function Series({ path, by, title, kind, filters }: { path: SeriesPath; by: SpendBy | 'reason'; title: string; kind: 'bar' | 'pie'; filters: Filters }) {
  const spend = path === '/api/v1/analytics/spend';
  const shared = filterQuery(path === '/api/v1/analytics/declines' ? forDeclines(filters) : filters);
  const query = { ...shared, ...(spend ? { by } : {}), ...(by === 'merchant' || by === 'person' || path !== '/api/v1/analytics/spend' ? { limit: String(topItems) } : {}) };
  const series = useQuery(getQuery(path, { params: { query } }));
  return (
    <Loaded query={series} what={title}>
      {(data) => {
        const items: ChartItem[] = data.items.map((item) => ({ name: itemName(item, by), amount: item.amount, count: item.count }));
        return <SpendChart id={`${path.split('/').at(-1)}-${by}`} title={title} kind={kind} items={items} csvUrl={csvUrl(path, query)} />;
      }}
    </Loaded>
  );
}

function Comparison({ filters }: { filters: Filters }) {
  // The comparison's months are its period: the other filters apply.
  const query = filterQuery({ ...filters, from: '', to: '' });
  const comparison = useQuery(getQuery('/api/v1/analytics/comparison', { params: { query } }));
  return (
    <section className="card" aria-labelledby="comparison-heading" data-chart="comparison">
      <h2 id="comparison-heading">{t('analytics.comparison')}</h2>
      <Loaded query={comparison} what={t('analytics.comparison')}>
        {(data) => (
          <dl className="figures">
            {(['thisMonth', 'lastMonth', 'sameMonthLastYear'] as const).map((period) => (
              <div key={period}>
                <dt>{t(`analytics.${period}`)} ({data[period].month})</dt>
                <dd>{formatMoney(data[period].amount)}</dd>
              </div>
            ))}
          </dl>
        )}
      </Loaded>
      <p>
        <a href={csvUrl('/api/v1/analytics/comparison', query)} download>{t('analytics.downloadCsv')}</a>
      </p>
    </section>
  );
}

function FilterForm({ filters, onChange }: { filters: Filters; onChange: (filters: Filters) => void }) {
  const teams = useQuery(getQuery('/api/v1/teams'));
  const categories = useQuery(getQuery('/api/v1/expense-categories'));
  const tagGroups = useQuery(getQuery('/api/v1/tag-groups'));
  // The first page of each is enough to choose from; a longer list is the API's to filter.
  const people = useQuery(getQuery('/api/v1/people', { params: { query: { limit: String(choicesMax) } } }));
  const cards = useQuery(getQuery('/api/v1/cards', { params: { query: { limit: String(choicesMax) } } }));
  const names = new Map(people.data?.items.map((person) => [person.id, person.name]));
  const cardsShown = (cards.data?.items ?? []).filter((card) => filters.userId === '' || card.userId === filters.userId);
  return (
    <form className="card filters" aria-label={t('analytics.filters')} onSubmit={(event) => event.preventDefault()}>
      <label htmlFor="analytics-from">{t('analytics.from')}</label>
      <input id="analytics-from" type="date" value={filters.from} onChange={(event) => onChange({ ...filters, from: event.target.value })} />
      <label htmlFor="analytics-to">{t('analytics.to')}</label>
      <input id="analytics-to" type="date" value={filters.to} onChange={(event) => onChange({ ...filters, to: event.target.value })} />
      <label htmlFor="analytics-team">{t('analytics.team')}</label>
      <select id="analytics-team" value={filters.teamId} onChange={(event) => onChange({ ...filters, teamId: event.target.value })}>
        <option value="">{t('analytics.allTeams')}</option>
        {teams.data?.items.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
      </select>
      <label htmlFor="analytics-category">{t('analytics.category')}</label>
      <select id="analytics-category" value={filters.categoryId} onChange={(event) => onChange({ ...filters, categoryId: event.target.value })}>
        <option value="">{t('analytics.allCategories')}</option>
        {categories.data?.items.map((category) => <option key={category.id} value={category.id}>{category.name}</option>)}
      </select>
      <label htmlFor="analytics-tag">{t('analytics.tag')}</label>
      <select id="analytics-tag" value={filters.tagId} onChange={(event) => onChange({ ...filters, tagId: event.target.value })}>
        <option value="">{t('analytics.allTags')}</option>
        {tagGroups.data?.items.flatMap((group) => group.tags.map((tag) => <option key={tag.id} value={tag.id}>{`${group.name}: ${tag.name}`}</option>))}
      </select>
      <label htmlFor="analytics-person">{t('analytics.person')}</label>
      <select id="analytics-person" value={filters.userId} onChange={(event) => onChange({ ...filters, userId: event.target.value, cardId: '' })}>
        <option value="">{t('analytics.allPeople')}</option>
        {people.data?.items.map((person) => <option key={person.id} value={person.id}>{person.name}</option>)}
      </select>
      <label htmlFor="analytics-card">{t('analytics.card')}</label>
      <select id="analytics-card" value={filters.cardId} onChange={(event) => onChange({ ...filters, cardId: event.target.value })}>
        <option value="">{t('analytics.allCards')}</option>
        {cardsShown.map((card) => <option key={card.id} value={card.id}>{`•••• ${card.last4} · ${names.get(card.userId) ?? ''}${card.purpose ? ` · ${card.purpose}` : ''}`}</option>)}
      </select>
    </form>
  );
}

export function AnalyticsPage() {
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', teamId: '', categoryId: '', tagId: '', userId: '', cardId: '' });
  const spend = (by: SpendBy, kind: 'bar' | 'pie' = 'bar') => <Series path="/api/v1/analytics/spend" by={by} title={t(`analytics.by.${by}`)} kind={kind} filters={filters} />;
  return (
    <div className="dashboard analytics">
      <FilterForm filters={filters} onChange={setFilters} />
      <p className="card">
        <a href="/budgets">{t('budgets.title')}</a>: {t('budgets.lead')}
      </p>
      <Comparison filters={filters} />
      {spend('month')}
      {spend('category', 'pie')}
      {spend('team')}
      {spend('person')}
      {spend('merchant')}
      {spend('kind', 'pie')}
      <Series path="/api/v1/analytics/declines" by="reason" title={t('analytics.declines')} kind="bar" filters={filters} />
      <Series path="/api/v1/analytics/missing-receipts" by="person" title={t('analytics.missingReceipts')} kind="bar" filters={filters} />
    </div>
  );
}
