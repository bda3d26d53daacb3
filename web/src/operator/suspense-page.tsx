// The suspense queue: credits into the top-up account whose message names no company's
// payment reference. An operator gives each to the company it was meant for (it becomes
// that company's top-up) or marks it for return to the payer, with a note saying why.
import { useEffect, useState } from 'react';
import type { BankEntry } from '../api/types';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { usePages } from '../components/use-pages';
import { SuspenseItem, type Decision } from './suspense-item';
import { useBankCompanies, type BankCompanies } from './use-bank-companies';
import { t } from '../i18n/i18n';

const suspensePageSize = 20;

export function SuspensePage() {
  const queue = usePages('/api/v1/bank/suspense', suspensePageSize);
  const companies = useBankCompanies();
  const [decisions, setDecisions] = useState<Decision[]>([]);
  const { pages } = queue;

  useEffect(() => {
    document.title = `${t('layout.sections.suspense')} · Outlay`;
  }, []);

  // The decided credit leaves the queue when it is fetched again.
  const decided = (decision: Decision) => setDecisions((previous) => [decision, ...previous]);

  return (
    <>
      <h1 className="page-title">{t('layout.sections.suspense')}</h1>
      <section className="card" aria-labelledby="suspense-heading">
        <div className="card-title-row">
          <h2 id="suspense-heading">{t('operator.suspense.heading')}</h2>
          <button type="button" className="link-button" onClick={queue.reload} disabled={queue.fetching}>
            {t('pages.receipts.refresh')}
          </button>
        </div>
        <p className="muted small-text">{t('operator.suspense.lead')}</p>
        {decisions.length > 0 && (
          <ul className="decided-list" aria-label={t('operator.suspense.decided')}>
            {decisions.map((decision) => (
              <li key={decision.entry.id}>
                <p className="notice success small-text" role="status">
                  {decision.text}
                </p>
              </li>
            ))}
          </ul>
        )}
        {pages.status === 'loading' && <Loading what={t('operator.suspense.loading')} />}
        {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={queue.reload} />}
        {pages.status === 'ready' &&
          (pages.items.length === 0 ? (
            <Empty>{t('operator.suspense.empty')}</Empty>
          ) : (
            <SuspenseList entries={pages.items} companies={companies} onDecided={decided} />
          ))}
        <MoreButton pages={pages} onMore={queue.loadMore} what={t('operator.suspense.credits')} />
      </section>
    </>
  );
}

function SuspenseList({ entries, companies, onDecided }: { entries: BankEntry[]; companies: BankCompanies; onDecided: (decision: Decision) => void }) {
  return (
    <>
      {companies.isError && <LoadError problem={companies.error} onRetry={() => void companies.refetch()} />}
      <ul className="suspense-list" aria-label={t('operator.suspense.list')}>
        {entries.map((entry) => (
          <li key={entry.id}>
            <SuspenseItem entry={entry} companies={companies.data?.items ?? null} onDecided={onDecided} />
          </li>
        ))}
      </ul>
    </>
  );
}
