// Subscriptions found in card history: who pays which merchant every month or year, the last
// and the next charge, what a year costs; each can get a card of its own in one step, and the
// list downloads as CSV.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { Subscription } from '../api/types';
import { Loaded } from '../components/loaded';
import { Empty, ProblemMessage } from '../components/status';
import { formatDate, formatMoney } from '../format';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';
import { SectionPage } from '../pages/section-page';
import { can } from '../permissions';
import { useSession } from '../session';

const stateLabels: Record<Subscription['state'], string> = labelsOf('admin.subscriptions.states', en.admin.subscriptions.states);
const cadenceLabels: Record<Subscription['cadence'], string> = labelsOf('admin.subscriptions.cadences', en.admin.subscriptions.cadences);

export function SubscriptionsPage() {
  const subscriptions = useQuery(getQuery('/api/v1/subscriptions'));
  return (
    <SectionPage title={t('layout.sections.subscriptions')} lead={t('admin.subscriptions.lead')}>
      <section className="card wide-card" aria-labelledby="subscriptions-heading">
        <div className="card-title-row">
          <h2 id="subscriptions-heading">{t('admin.subscriptions.heading')}</h2>
          <a className="button-link secondary small" href="/api/v1/subscriptions?format=csv" download="subscriptions.csv">
            {t('admin.subscriptions.download')}
          </a>
        </div>
        <Loaded query={subscriptions} what={t('admin.subscriptions.what')}>
          {({ items, yearlyTotal }) =>
            items.length === 0 ? (
              <Empty>{t('admin.subscriptions.empty')}</Empty>
            ) : (
              <>
                {yearlyTotal.length > 0 && <p className="muted">{t('admin.subscriptions.yearlyTotal', { amount: yearlyTotal.map(formatMoney).join(' + ') })}</p>}
                <SubscriptionsTable items={items} />
              </>
            )
          }
        </Loaded>
      </section>
    </SectionPage>
  );
}

function SubscriptionsTable({ items }: { items: Subscription[] }) {
  return (
    <table className="responsive-table">
      <thead>
        <tr>
          <th scope="col">{t('admin.subscriptions.merchant')}</th>
          <th scope="col">{t('admin.subscriptions.person')}</th>
          <th scope="col">{t('admin.subscriptions.cadence')}</th>
          <th scope="col">{t('admin.subscriptions.lastCharge')}</th>
          <th scope="col">{t('admin.subscriptions.nextCharge')}</th>
          <th scope="col" className="number">
            {t('admin.subscriptions.yearlyCost')}
          </th>
          <th scope="col">{t('admin.subscriptions.card')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((subscription) => (
          <SubscriptionRow key={subscription.key} subscription={subscription} />
        ))}
      </tbody>
    </table>
  );
}

function SubscriptionRow({ subscription }: { subscription: Subscription }) {
  const { session } = useSession();
  const [issued, setIssued] = useState(false);
  const issue = useAction(() => ok(api.POST('/api/v1/subscriptions/{key}/card', { params: { path: { key: subscription.key } } })), {
    invalidates: ['/api/v1/subscriptions', '/api/v1/cards'],
    onSuccess: () => setIssued(true),
  });
  return (
    <tr>
      <th scope="row" data-label={t('admin.subscriptions.merchant')}>
        {subscription.merchantName}
        <div className="muted small">{t('admin.subscriptions.charges', { count: subscription.charges })}</div>
      </th>
      <td data-label={t('admin.subscriptions.person')}>{subscription.personName}</td>
      <td data-label={t('admin.subscriptions.cadence')}>{cadenceLabels[subscription.cadence]}</td>
      <td data-label={t('admin.subscriptions.lastCharge')}>
        {formatDate(subscription.lastDay)}, {formatMoney(subscription.lastAmount)}
        {subscription.increased && <div className="badge badge-warning">{t('admin.subscriptions.usually', { amount: formatMoney(subscription.usualAmount) })}</div>}
      </td>
      <td data-label={t('admin.subscriptions.nextCharge')}>
        {formatDate(subscription.nextExpectedOn)}
        <div className={subscription.state === 'active' ? 'muted small' : 'badge warning'}>{stateLabels[subscription.state]}</div>
      </td>
      <td className="number" data-label={t('admin.subscriptions.yearlyCost')}>
        {formatMoney(subscription.yearlyCost)}
      </td>
      <td data-label={t('admin.subscriptions.card')}>
        {subscription.ownCardId ? (
          <span>{t('admin.subscriptions.hasOwnCard')}</span>
        ) : can(session, 'cards:manage') ? (
          <button type="button" className="secondary small" disabled={issue.isPending} onClick={() => issue.mutate()}>
            {issue.isPending ? t('admin.subscriptions.issuing') : t('admin.subscriptions.ownCard')}
          </button>
        ) : null}
        {issued && <p role="status">{t('admin.subscriptions.issued', { merchant: subscription.merchantName, person: subscription.personName })}</p>}
        {issue.error && <ProblemMessage problem={issue.error} />}
      </td>
    </tr>
  );
}
