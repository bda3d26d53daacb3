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

/** Enough to say "N wait"; the queue itself pages through the rest. */
const suspenseCountPageSize = 100;

export function OperatorStatementsPage() {
  const suspense = usePages('/api/v1/bank/suspense', suspenseCountPageSize);

  useEffect(() => {
    document.title = 'Bank statements · Outlay';
  }, []);

  return (
    <>
      <h1 className="page-title">Top-up account</h1>
      <div className="dashboard">
        <StatementUpload collection={topUpAccountStatements} heading="Import a statement" statementPathOf={bankStatementPath}>
          <p>The top-up account’s statement from the bank. Credits whose message holds a company’s payment reference become its top-up; the others wait in suspense. A file imported before changes nothing.</p>
        </StatementUpload>
        <SuspenseBox suspense={suspense} />
        <StatementsSection collection={topUpAccountStatements} heading="Statements" statementPathOf={bankStatementPath} canDecide />
      </div>
    </>
  );
}

function SuspenseBox({ suspense }: { suspense: PagesHandle<BankEntry> }) {
  const { pages } = suspense;
  return (
    <section className="card" aria-labelledby="suspense-box-heading">
      <h2 id="suspense-box-heading">Suspense</h2>
      {pages.status === 'loading' && <Loading what="the suspense queue" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={suspense.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <p className="muted">Nothing waits: every credit found its company.</p>
        ) : (
          <>
            <p className="suspense-count">
              {pages.nextCursor ? `More than ${pages.items.length}` : pages.items.length} {pages.items.length === 1 && !pages.nextCursor ? 'credit waits' : 'credits wait'} for a company.
            </p>
            <p className="muted small-text">Their message names no company’s payment reference: assign each to the company it was meant for, or mark it for return to the payer.</p>
            <Link href="/bank/suspense" className="button-link secondary">
              Open the suspense queue
            </Link>
          </>
        ))}
    </section>
  );
}
