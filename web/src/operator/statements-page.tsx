// The operator's home: the top-up account's statements. A file is imported here (its
// credits that name a company's payment reference become that company's top-up; the rest wait
// in suspense), the statements are listed with what became of their entries, and held ones
// are accepted or discarded. A box says how many credits wait in the suspense queue.
import { useEffect } from 'react';
import type { BankEntry } from '../api/types';
import { topUpAccountStatements } from '../banking/statement-collections';
import { StatementsSection } from '../banking/statements-section';
import { StatementUpload } from '../banking/statement-upload';
import { LoadError, Loading } from '../components/status';
import { usePages, type PagesHandle } from '../components/use-pages';
import { bankStatementPath, Link } from '../router';
import { t } from '../i18n/i18n';

/** Enough to say "N wait"; the queue itself pages through the rest. */
const suspenseCountPageSize = 100;

export function OperatorStatementsPage() {
  const suspense = usePages('/api/v1/bank/suspense', suspenseCountPageSize);

  useEffect(() => {
    document.title = `${t('operator.statements.title')} · Outlay`;
  }, []);

  return (
    <>
      <h1 className="page-title">{t('operator.statements.heading')}</h1>
      <div className="dashboard">
        <StatementUpload collection={topUpAccountStatements} heading={t('operator.statements.import')} statementPathOf={bankStatementPath}>
          <p>{t('operator.statements.importLead')}</p>
        </StatementUpload>
        <SuspenseBox suspense={suspense} />
        <StatementsSection collection={topUpAccountStatements} heading={t('layout.sections.statements')} statementPathOf={bankStatementPath} canDecide />
      </div>
    </>
  );
}

function SuspenseBox({ suspense }: { suspense: PagesHandle<BankEntry> }) {
  const { pages } = suspense;
  return (
    <section className="card" aria-labelledby="suspense-box-heading">
      <h2 id="suspense-box-heading">{t('layout.sections.suspense')}</h2>
      {pages.status === 'loading' && <Loading what={t('operator.suspense.loading')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={suspense.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <p className="muted">{t('operator.statements.nothingWaits')}</p>
        ) : (
          <>
            <p className="suspense-count">
              {pages.nextCursor ? t('operator.statements.moreThanWait', { shown: pages.items.length }) : t('operator.statements.wait', { count: pages.items.length })}
            </p>
            <p className="muted small-text">{t('operator.statements.waitHint')}</p>
            <Link href="/bank/suspense" className="button-link secondary">
              {t('operator.statements.open')}
            </Link>
          </>
        ))}
    </section>
  );
}
