// Receipts, for each role: a person's own (what is missing, the camera button, what was
// read and where it went), and for admins, bookkeepers and reviewers the company's too (who
// owes which, every receipt). Someone running the company sees the company's first. The
// rules that decide which purchases need a receipt are shown here, and changed in Settings.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import type { CardTransaction, Person } from '../api/types';
import { usePages, type Pages } from '../components/use-pages';
import { can } from '../permissions';
import { CompanyReceipts } from '../receipts/company-receipts';
import { MissingByPerson } from '../receipts/missing-by-person';
import { ReceiptRules } from '../receipts/receipt-rules';
import { ReceiptsInbox } from '../receipts/receipts-inbox';
import { useMyReceipts } from '../receipts/use-my-receipts';
import { Link } from '../router';
import { useSession } from '../session';
import { SectionPage } from './section-page';
import { t } from '../i18n/i18n';

const peoplePageSize = 200;

export function ReceiptsPage() {
  const { session } = useSession();
  const { roles } = session.person;
  const companyWide = can(session, 'receipts:read');
  const ownFirst = !roles.includes('admin') && !roles.includes('bookkeeper');
  return (
    <SectionPage title={t('layout.sections.receipts')}>
      {ownFirst && <OwnReceipts />}
      {companyWide && <CompanyReceiptsOverview />}
      {!ownFirst && <OwnReceipts />}
    </SectionPage>
  );
}

function OwnReceipts() {
  const { session } = useSession();
  const { transactions, receipts, missing } = useMyReceipts(session.person.id);
  const transactionOf = (id: string): CardTransaction | undefined => (transactions.pages.status === 'ready' ? transactions.pages.items.find((item) => item.id === id) : undefined);
  return <ReceiptsInbox receipts={receipts} missing={missing} transactionOf={transactionOf} />;
}

function CompanyReceiptsOverview() {
  const { session } = useSession();
  const people = usePages('/api/v1/people', peoplePageSize);
  return (
    <>
      <WhoOwesReceipts people={people.pages} />
      <section className="card" aria-labelledby="company-receipt-rules-heading">
        <h2 id="company-receipt-rules-heading" className="visually-hidden">
          {t('pages.receipts.rulesHeading')}
        </h2>
        <ReceiptRules editable={false} />
        {can(session, 'receipts:manage') && (
          <p className="small-text">
            <Link href="/settings">{t('pages.receipts.changeRules')}</Link>
          </p>
        )}
      </section>
      <CompanyReceipts people={people.pages} />
    </>
  );
}

function WhoOwesReceipts({ people }: { people: Pages<Person> }) {
  const missing = useQuery(getQuery('/api/v1/receipts/missing/by-person'));
  return (
    <section className="card" aria-labelledby="who-owes-heading">
      <div className="card-title-row">
        <h2 id="who-owes-heading">{t('pages.receipts.whoOwes')}</h2>
        <button type="button" className="link-button" onClick={() => void missing.refetch()} disabled={missing.isFetching}>
          {t('pages.receipts.refresh')}
        </button>
      </div>
      <MissingByPerson missing={missing} people={people} />
    </section>
  );
}
