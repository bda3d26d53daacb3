// The home page: an admin's overview of the company (the wallet, what needs attention, the
// sections), a bookkeeper's ledger; everyone else (employees, reviewers) their own cards and
// purchases, the ones waiting for a receipt first.
import { AdminOverview } from '../admin/admin-overview';
import { LedgerOverview } from '../bookkeeper/ledger-overview';
import { MyPage } from '../employee/my-page';
import { useSession } from '../session';
import { usePageTitle } from './use-page-title';
import { t } from '../i18n/i18n';

export function OverviewPage() {
  const { roles } = useSession().session.person;
  const isAdmin = roles.includes('admin');
  const isBookkeeper = roles.includes('bookkeeper');
  if (!isAdmin && !isBookkeeper) return <MyPage title={t('layout.sections.home')} />;
  return <CompanyOverview isAdmin={isAdmin} isBookkeeper={isBookkeeper} />;
}

function CompanyOverview({ isAdmin, isBookkeeper }: { isAdmin: boolean; isBookkeeper: boolean }) {
  const { session } = useSession();
  usePageTitle(t('layout.sections.overview'));
  return (
    <>
      <h1 className="page-title">{session.company.name}</h1>
      {isAdmin && <AdminOverview />}
      {isBookkeeper && <LedgerOverview />}
    </>
  );
}
