// The app shell: checks the session once, then shows the page the path asks for. Logged-out
// visitors are sent to /login, except on an invitation link, which works without a session.
import { useCallback, useEffect, useState } from 'react';
import { api } from './api/client';
import { asProblem, type ApiProblem } from './api/problem';
import type { Person, Session } from './api/types';
import { LoadError, Loading } from './components/status';
import { Header } from './layout/header';
import { HomePage } from './pages/home-page';
import { InvitePage } from './pages/invite-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { matchRoute, navigate, usePath } from './router';
import { SessionContext } from './session';

type SessionState =
  | { status: 'checking' }
  | { status: 'check-failed'; problem: ApiProblem }
  | { status: 'anonymous' }
  | { status: 'signed-in'; session: Session };

export function App() {
  const route = matchRoute(usePath());
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const [checks, setChecks] = useState(0);

  useEffect(() => {
    api.onUnauthenticated(() => {
      api.setCsrfToken(null);
      setState({ status: 'anonymous' });
    });
    return () => api.onUnauthenticated(null);
  }, []);

  useEffect(() => {
    let current = true;
    api.get<Session>('/session').then(
      (session) => {
        if (!current) return;
        api.setCsrfToken(session.csrfToken);
        setState({ status: 'signed-in', session });
      },
      (error: unknown) => {
        if (!current) return;
        const problem = asProblem(error);
        setState(problem.status === 401 ? { status: 'anonymous' } : { status: 'check-failed', problem });
      },
    );
    return () => {
      current = false;
    };
  }, [checks]);

  // Send each visitor where they belong once the session is known.
  useEffect(() => {
    if (state.status === 'anonymous' && (route.page === 'home' || route.page === 'not-found')) {
      navigate('/login', { replace: true });
    }
    if (state.status === 'signed-in' && route.page === 'login') navigate('/', { replace: true });
  }, [state.status, route.page]);

  const signedIn = useCallback((session: Session) => {
    api.setCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', session });
    navigate('/');
  }, []);

  const logOut = useCallback(async () => {
    try {
      await api.delete('/session');
    } catch (error) {
      // A session that is already gone is what logging out wants; anything else is shown.
      if (asProblem(error).status !== 401) throw error;
    }
    api.setCsrfToken(null);
    setState({ status: 'anonymous' });
    navigate('/login');
  }, []);

  const personChanged = useCallback((person: Person) => {
    setState((previous) =>
      previous.status === 'signed-in' && previous.session.person.id === person.id
        ? { status: 'signed-in', session: { ...previous.session, person } }
        : previous,
    );
  }, []);

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
        <LoadError problem={state.problem} onRetry={() => setChecks((value) => value + 1)} />
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
