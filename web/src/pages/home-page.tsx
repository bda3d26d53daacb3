// The home page shows the workspace of each of the person's roles: admins run the company,
// bookkeepers read the ledger; everyone else (employees, reviewers) sees their own page.
// Bookkeepers and reviewers also see everyone's receipts (admins have them on their dashboard).
import { useEffect } from 'react';
import { AdminDashboard } from '../admin/admin-dashboard';
import { LedgerOverview } from '../bookkeeper/ledger-overview';
import { MyPage } from '../employee/my-page';
import { ReceiptsReview } from '../receipts/receipts-review';
import { useSession } from '../session';

export function HomePage() {
  const { session } = useSession();
  const { roles } = session.person;
  const isAdmin = roles.includes('admin');
  const isBookkeeper = roles.includes('bookkeeper');
  const isReviewer = roles.includes('reviewer');

  useEffect(() => {
    document.title = `${session.company.name} · Outlay`;
  }, [session.company.name]);

  return (
    <>
      {(isAdmin || isBookkeeper) && <h1 className="page-title">{session.company.name}</h1>}
      {isAdmin && <AdminDashboard />}
      {isBookkeeper && <LedgerOverview />}
      {!isAdmin && !isBookkeeper && <MyPage />}
      {!isAdmin && (isBookkeeper || isReviewer) && <ReceiptsReview />}
    </>
  );
}
