// The app shell: shows the page the path asks for once the session is known. Logged-out
// visitors are sent to /login, except on an invitation link, which works without a session.
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
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
import { FeatureFlagsPage } from './operator/feature-flags-page';
import { CardsPage } from './admin/cards-page';
import { DevelopersPage } from './admin/developers-page';
import { PeoplePage } from './admin/people-page';
import { SettingsPage } from './admin/settings-page';
import { AccountPage } from './pages/account-page';
import { TwoStepSection } from './pages/two-step-section';
import { t } from './i18n/i18n';
import { TransactionsPage } from './admin/transactions-page';
import { SubscriptionsPage } from './admin/subscriptions-page';
import { BudgetsPage } from './budgets/budgets-page';
import { MyPage } from './employee/my-page';
import { OverviewPage } from './pages/overview-page';
import { ReceiptsPage } from './pages/receipts-page';
import { usePageTitle } from './pages/use-page-title';
import { SimulatorPage } from './simulator/simulator-page';
import { NotForYourRolePage } from './pages/not-for-your-role-page';
import { InvitePage } from './pages/invite-page';
import { ForgotPasswordPage } from './pages/forgot-password-page';
import { ResetPasswordPage } from './pages/reset-password-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import type { Permission, Session } from './api/types';
import { AuditTrailPage } from './admin/audit-trail-page';
import { CompanyExpensesPage } from './expenses/company-expenses-page';
import { can, worksForCompany } from './permissions';
import { ReviewQueuePage } from './reviews/review-queue-page';
import { matchRoute, navigate, usePath, type Route } from './router';
import { SessionContext, useSession } from './session';
import { useSessionState } from './use-session-state';
import { useLiveEvents } from './live/use-live-events';
import { WalletPage } from './wallet/wallet-page';
import { WalletStatementPage } from './wallet/wallet-statement-page';

/** The spend overview carries its chart library (ECharts) in a file of its own, loaded when the
 * page is first opened rather than with the app. */
const AnalyticsPage = lazy(() => import('./analytics/analytics-page').then((module) => ({ default: module.AnalyticsPage })));

/** Pages that need no session: they are how one gets one. */
const pagesWithoutSession: ReadonlySet<Route['page']> = new Set(['login', 'invite', 'forgot-password', 'reset-password']);

/** A refused single sign-on ends on /?ssoError=<code>: the login page it leads to says why. */
function ssoErrorOf(search: string): string {
  const code = new URLSearchParams(search).get('ssoError');
  return code === null ? '' : `?${new URLSearchParams({ ssoError: code }).toString()}`;
}

export function App() {
  const route = matchRoute(usePath());
  const { state, retryCheck, signedIn, logOut, personChanged } = useSessionState();

  useEffect(() => {
    if (state.status === 'anonymous' && !pagesWithoutSession.has(route.page)) {
      navigate(`/login${ssoErrorOf(window.location.search)}`, { replace: true });
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
  if (route.page === 'forgot-password') return <ForgotPasswordPage />;
  if (route.page === 'reset-password') return <ResetPasswordPage token={route.token} />;
  if (state.status === 'anonymous') return route.page === 'login' ? <LoginPage onLoggedIn={signedIn} /> : null;
  if (route.page === 'login') return null;
  // The company requires two-step sign-in of this person: every other route answers 403
  // mfa_enrollment_required until it is on, so setting it up is all there is to show.
  if (state.session.mfaEnrollmentRequired) {
    return (
      <main className="centered">
        <TwoStepSection onEnrolled={retryCheck} />
        <button type="button" className="secondary" onClick={() => void logOut()}>
          {t('layout.logOut')}
        </button>
      </main>
    );
  }

  return (
    <SessionContext.Provider value={{ session: state.session, logOut, personChanged }}>
      <LiveEvents personId={state.session.person.id} />
      <Header />
      <main className="page">
        <SignedInPage route={route} />
      </main>
    </SessionContext.Provider>
  );
}

/** The session's one stream of live events; unmounted (closed) on sign-out. */
function LiveEvents({ personId }: { personId: string }) {
  useLiveEvents(personId);
  return null;
}

/** Names a page in the browser's tab when the page itself does not. */
function Titled({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return <>{children}</>;
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
      return worksForCompany(person) ? <OverviewPage /> : needs('bank:operate', <OperatorStatementsPage />);
    case 'my-cards':
      return inCompany(<MyPage title="My cards" />);
    case 'people':
      return needs('people:write', <PeoplePage />);
    case 'cards':
      return needs('cards:manage', <CardsPage />);
    case 'transactions':
      return needs('transactions:read', <TransactionsPage />);
    case 'subscriptions':
      return needs('transactions:read', <SubscriptionsPage />);
    case 'receipts':
      return inCompany(<ReceiptsPage />);
    case 'account':
      return <AccountPage />;
    case 'settings':
      return needs('receipts:manage', <SettingsPage />);
    case 'audit':
      return needs('audit:read', <AuditTrailPage />);
    case 'developers':
      return needs('api_keys:manage', <DevelopersPage />);
    case 'simulator':
      return needs('cards:manage', <SimulatorPage />);
    default:
      return <ExistingPage route={route} />;
  }
}

/** Admins and bookkeepers keep the company's books: their Expenses is everyone's, and their
 * own are on /expenses/mine. A reviewer's Expenses stays their own; the review queue is theirs. */
function seesCompanyExpenses(session: Session): boolean {
  const { roles } = session.person;
  return can(session, 'expenses:read') && (roles.includes('admin') || roles.includes('bookkeeper'));
}

/** The pages that were there before the sections; their addresses stay as they were. */
function ExistingPage({ route }: { route: Route }) {
  const { session } = useSession();
  const needs = (permission: Permission, page: ReactNode) => (can(session, permission) ? page : <NotForYourRolePage />);
  const inCompany = (page: ReactNode) => (worksForCompany(session.person) ? page : <NotForYourRolePage />);
  switch (route.page) {
    case 'expenses':
      return inCompany(seesCompanyExpenses(session) ? <CompanyExpensesPage /> : <Titled title="Expenses"><MyExpensesPage /></Titled>);
    case 'my-expenses':
      return inCompany(<Titled title="My expenses"><MyExpensesPage /></Titled>);
    case 'new-expense':
      return inCompany(<Titled title="New expense"><NewExpensePage key={route.kind} kind={route.kind} /></Titled>);
    case 'expense':
      return inCompany(<Titled title="Expense"><ExpensePage key={route.id} id={route.id} /></Titled>);
    case 'reviews':
      return needs('expenses:review', <Titled title="Review"><ReviewQueuePage /></Titled>);
    case 'books':
      return needs('expenses:manage', <Titled title="Books"><BooksPage /></Titled>);
    case 'budgets':
      return inCompany(<Titled title="Budgets"><BudgetsPage /></Titled>);
    case 'analytics':
      return needs('analytics:read', <Titled title="Spend overview"><Suspense fallback={<Loading what={t('analytics.title')} />}><AnalyticsPage /></Suspense></Titled>);
    case 'exports':
      return needs('expenses:manage', <Titled title="Export"><ExportsPage /></Titled>);
    case 'reimbursements':
      return needs('payouts:manage', <Titled title="Reimbursements"><ReimbursementsPage /></Titled>);
    case 'wallet':
      return needs('wallet:read', <WalletPage />);
    case 'wallet-statement':
      return needs('wallet:read', <WalletStatementPage key={route.id} id={route.id} />);
    case 'bank-statements':
      return needs('bank:operate', <OperatorStatementsPage />);
    case 'bank-suspense':
      return needs('bank:operate', <SuspensePage />);
    case 'feature-flags':
      return needs('flags:operate', <FeatureFlagsPage />);
    case 'bank-statement':
      return needs('bank:operate', <OperatorStatementPage key={route.id} id={route.id} />);
    default:
      return <NotFoundPage />;
  }
}
