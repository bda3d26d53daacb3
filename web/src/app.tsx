// The app shell: shows the page the path asks for once the session is known. Logged-out
// visitors are sent to /login, except on an invitation link, which works without a session.
import { useEffect, type ReactNode } from 'react';
import { LoadError, Loading } from './components/status';
import { Header } from './layout/header';
import { ExpensePage } from './expenses/expense-page';
import { MyExpensesPage } from './expenses/my-expenses-page';
import { NewExpensePage } from './expenses/new-expense-page';
import { ReimbursementsPage } from './admin/reimbursements-page';
import { BooksPage } from './bookkeeper/books-page';
import { ExportsPage } from './bookkeeper/exports-page';
import { OperatorStatementPage } from './operator/operator-statement-page';
import { OperatorStatementsPage } from './operator/statements-page';
import { SuspensePage } from './operator/suspense-page';
import { HomePage } from './pages/home-page';
import { NotForYourRolePage } from './pages/not-for-your-role-page';
import { InvitePage } from './pages/invite-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import type { Permission } from './api/types';
import { can, worksForCompany } from './permissions';
import { ReviewQueuePage } from './reviews/review-queue-page';
import { matchRoute, navigate, usePath, type Route } from './router';
import { SessionContext, useSession } from './session';
import { useSessionState } from './use-session-state';
import { WalletPage } from './wallet/wallet-page';
import { WalletStatementPage } from './wallet/wallet-statement-page';

export function App() {
  const route = matchRoute(usePath());
  const { state, retryCheck, signedIn, logOut, personChanged } = useSessionState();

  useEffect(() => {
    if (state.status === 'anonymous' && route.page !== 'login' && route.page !== 'invite') {
      navigate('/login', { replace: true });
    }
    if (state.status === 'signed-in' && route.page === 'login') navigate('/', { replace: true });
  }, [state.status, route.page]);

  if (state.status === 'checking') {
    return (
      <main className="centered">
        <Loading what="Outlay" />
      </main>
    );
  }
  if (state.status === 'check-failed') {
    return (
      <main className="centered">
        <LoadError problem={state.problem} onRetry={retryCheck} />
      </main>
    );
  }
  if (route.page === 'invite') return <InvitePage token={route.token} onAccepted={signedIn} />;
  if (state.status === 'anonymous') return route.page === 'login' ? <LoginPage onLoggedIn={signedIn} /> : null;
  if (route.page === 'login') return null;

  return (
    <SessionContext.Provider value={{ session: state.session, logOut, personChanged }}>
      <Header />
      <main className="page">
        <SignedInPage route={route} />
      </main>
    </SessionContext.Provider>
  );
}

/** The pages of a signed-in person; a section their roles do not open says so. The
 * platform's operators work for no company: their home is the top-up account's statements,
 * and a company's own pages (expenses) are not theirs. */
function SignedInPage({ route }: { route: Route }) {
  const { session } = useSession();
  const { person } = session;
  const needs = (permission: Permission, page: ReactNode) => (can(session, permission) ? page : <NotForYourRolePage />);
  const inCompany = (page: ReactNode) => (worksForCompany(person) ? page : <NotForYourRolePage />);
  switch (route.page) {
    case 'home':
      return worksForCompany(person) ? <HomePage /> : needs('bank:operate', <OperatorStatementsPage />);
    case 'expenses':
      return inCompany(<MyExpensesPage />);
    case 'new-expense':
      return inCompany(<NewExpensePage key={route.kind} kind={route.kind} />);
    case 'expense':
      return inCompany(<ExpensePage key={route.id} id={route.id} />);
    case 'reviews':
      return needs('expenses:review', <ReviewQueuePage />);
    case 'books':
      return needs('expenses:manage', <BooksPage />);
    case 'exports':
      return needs('expenses:manage', <ExportsPage />);
    case 'reimbursements':
      return needs('payouts:manage', <ReimbursementsPage />);
    case 'wallet':
      return needs('wallet:read', <WalletPage />);
    case 'wallet-statement':
      return needs('wallet:read', <WalletStatementPage key={route.id} id={route.id} />);
    case 'bank-statements':
      return needs('bank:operate', <OperatorStatementsPage />);
    case 'bank-suspense':
      return needs('bank:operate', <SuspensePage />);
    case 'bank-statement':
      return needs('bank:operate', <OperatorStatementPage key={route.id} id={route.id} />);
    default:
      return <NotFoundPage />;
  }
}
