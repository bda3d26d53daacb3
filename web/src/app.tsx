// The app shell: shows the page the path asks for once the session is known. Logged-out
// visitors are sent to /login, except on an invitation link, which works without a session.
import { useEffect } from 'react';
import { LoadError, Loading } from './components/status';
import { Header } from './layout/header';
import { HomePage } from './pages/home-page';
import { InvitePage } from './pages/invite-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { matchRoute, navigate, usePath } from './router';
import { SessionContext } from './session';
import { useSessionState } from './use-session-state';

export function App() {
  const route = matchRoute(usePath());
  const { state, retryCheck, signedIn, logOut, personChanged } = useSessionState();

  useEffect(() => {
    if (state.status === 'anonymous' && (route.page === 'home' || route.page === 'not-found')) {
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
      <main className="page">{route.page === 'home' ? <HomePage /> : <NotFoundPage />}</main>
    </SessionContext.Provider>
  );
}
