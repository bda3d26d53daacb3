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
import { HomePage } from './pages/home-page';
import { NotForYourRolePage } from './pages/not-for-your-role-page';
import { InvitePage } from './pages/invite-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { can, type AppPermission } from './permissions';
import { ReviewQueuePage } from './reviews/review-queue-page';
import { matchRoute, navigate, usePath, type Route } from './router';
import { SessionContext, useSession } from './session';
import { useSessionState } from './use-session-state';

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

/** The pages of a signed-in person; a section their roles do not open says so. */
function SignedInPage({ route }: { route: Route }) {
  const { person } = useSession().session;
  const needs = (permission: AppPermission, page: ReactNode) => (can(person, permission) ? page : <NotForYourRolePage />);
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'expenses':
      return <MyExpensesPage />;
    case 'new-expense':
      return <NewExpensePage key={route.kind} kind={route.kind} />;
    case 'expense':
      return <ExpensePage key={route.id} id={route.id} />;
    case 'reviews':
      return needs('expenses:review', <ReviewQueuePage />);
    case 'books':
      return needs('expenses:manage', <BooksPage />);
    case 'exports':
      return needs('expenses:manage', <ExportsPage />);
    case 'reimbursements':
      return needs('payouts:manage', <ReimbursementsPage />);
    default:
      return <NotFoundPage />;
  }
}
