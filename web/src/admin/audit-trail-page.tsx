// The audit trail (/settings/audit): who changed what, when and from where (address and user
// agent), newest first, filtered by person, action, what it was about and dates, a page at a
// time, and downloadable as CSV.
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../api/types';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { detailLines } from './audit-details';
import { usePersonAndTeamChoices } from '../lists/filter-choices';
import { useFilteredPages } from '../lists/use-filtered-pages';
import { ListFiltersForm, type FilterField } from '../lists/list-filters-form';
import { SectionPage } from '../pages/section-page';
import { Link } from '../router';
import { useSession } from '../session';

const auditPageSize = 50;
const listPath = '/api/v1/audit-events';
const filterNames = ['actorId', 'action', 'subjectType', 'from', 'to'] as const;
type FilterName = (typeof filterNames)[number];

function useFilterFields(): FilterField<FilterName>[] {
  const { t } = useTranslation();
  const { people } = usePersonAndTeamChoices();
  return [
    { name: 'actorId', label: t('lists.audit.actor'), kind: 'select', options: people },
    { name: 'action', label: t('lists.audit.action'), kind: 'search' },
    { name: 'subjectType', label: t('lists.audit.subjectType'), kind: 'search' },
    { name: 'from', label: t('lists.filters.from'), kind: 'date' },
    { name: 'to', label: t('lists.filters.to'), kind: 'date' },
  ];
}

export function AuditTrailPage() {
  const { t } = useTranslation();
  const { filters, list: events, csvHref, total } = useFilteredPages(listPath, filterNames, auditPageSize);
  const fields = useFilterFields();
  const { pages } = events;
  return (
    <SectionPage title={t('lists.audit.title')} lead={<Link href="/settings">{t('lists.audit.backToSettings')}</Link>}>
      <ListFiltersForm label={t('lists.audit.filterLabel')} fields={fields} filters={filters} csvHref={csvHref} total={total} csvFile="audit-events.csv" />
      <section className="card wide-card" aria-labelledby="audit-heading">
        <h2 id="audit-heading">{t('lists.audit.heading')}</h2>
        {pages.status === 'loading' && <Loading what={t('lists.audit.loading')} />}
        {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={events.reload} />}
        {pages.status === 'ready' && (pages.items.length === 0 ? <Empty>{t('lists.audit.empty')}</Empty> : <AuditTable events={pages.items} />)}
        <MoreButton pages={pages} onMore={events.loadMore} what={t('lists.audit.loading')} />
      </section>
    </SectionPage>
  );
}

function AuditTable({ events }: { events: readonly AuditEvent[] }) {
  const { t } = useTranslation();
  const { session } = useSession();
  return (
    <table className="responsive-table audit-table">
      <thead>
        <tr>
          <th scope="col">{t('lists.audit.when')}</th>
          <th scope="col">{t('lists.audit.actor')}</th>
          <th scope="col">{t('lists.audit.action')}</th>
          <th scope="col">{t('lists.audit.subject')}</th>
          <th scope="col">{t('lists.audit.details')}</th>
          <th scope="col">{t('lists.audit.origin')}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td data-label={t('lists.audit.when')}>{formatDateTime(event.createdAt, session.company.timeZone)}</td>
            <td data-label={t('lists.audit.actor')}>{event.actor.name}</td>
            <td data-label={t('lists.audit.action')}>
              <code>{event.action}</code>
            </td>
            <td data-label={t('lists.audit.subject')}>{event.subject.label}</td>
            <td data-label={t('lists.audit.details')} className="audit-details">
              {detailLines(event.details).join('; ')}
            </td>
            <td data-label={t('lists.audit.origin')}>
              {event.origin ? <span title={event.origin.userAgent ?? undefined}>{event.origin.ip}</span> : <span className="muted">{t('lists.audit.outlay')}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
