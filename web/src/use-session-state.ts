// Whether someone is logged in: checked once at start, then changed by logging in, accepting
// an invitation, logging out, or the API reporting the session gone.
import { useCallback, useEffect, useState } from 'react';
import { api } from './api/client';
import { asProblem, type ApiProblem } from './api/problem';
import type { Person, Session } from './api/types';
import { navigate } from './router';

export type SessionState =
  | { status: 'checking' }
  | { status: 'check-failed'; problem: ApiProblem }
  | { status: 'anonymous' }
  | { status: 'signed-in'; session: Session };

export interface SessionStateHandle {
  state: SessionState;
  retryCheck: () => void;
  signedIn: (session: Session) => void;
  logOut: () => Promise<void>;
  personChanged: (person: Person) => void;
}

export function useSessionState(): SessionStateHandle {
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

  const retryCheck = useCallback(() => setChecks((value) => value + 1), []);

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

  return { state, retryCheck, signedIn, logOut, personChanged };
}
