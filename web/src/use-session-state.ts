// Whether someone is logged in: checked once at start (GET /api/v1/session, a query), then
// changed by logging in, accepting an invitation, logging out, or the API reporting the
// session gone. What was loaded for one person is dropped before the next one's pages show.
import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { api, apiSession, ok } from './api/client';
import { asProblem, type ApiProblem } from './api/problem';
import { queryKeyOf } from './api/queries';
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

const sessionKey = queryKeyOf('/api/v1/session');

/** The session, or null when nobody is signed in (401): that is an answer, not a failure. */
async function checkSession(): Promise<Session | null> {
  try {
    const session = await ok(api.GET('/api/v1/session'));
    apiSession.setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (asProblem(error).status === 401) return null;
    throw error;
  }
}

function stateOf(check: UseQueryResult<Session | null>): SessionState {
  if (check.data === null) return { status: 'anonymous' };
  if (check.data) return { status: 'signed-in', session: check.data };
  if (check.isError && !check.isFetching) return { status: 'check-failed', problem: check.error };
  return { status: 'checking' };
}

export function useSessionState(): SessionStateHandle {
  const queryClient = useQueryClient();
  const check = useQuery({ queryKey: sessionKey, queryFn: checkSession, staleTime: Infinity });

  const signedOut = useCallback(() => {
    apiSession.setCsrfToken(null);
    queryClient.setQueryData(sessionKey, null);
  }, [queryClient]);

  useEffect(() => {
    apiSession.onUnauthenticated(signedOut);
    return () => apiSession.onUnauthenticated(null);
  }, [signedOut]);

  const signedIn = useCallback(
    (session: Session) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
      apiSession.setCsrfToken(session.csrfToken);
      queryClient.setQueryData(sessionKey, session);
      navigate('/');
    },
    [queryClient],
  );

  const logOut = useCallback(async () => {
    try {
      await ok(api.DELETE('/api/v1/session'));
    } catch (error) {
      // A session that is already gone is what logging out wants; anything else is shown.
      if (asProblem(error).status !== 401) throw error;
    }
    signedOut();
    navigate('/login');
  }, [signedOut]);

  const personChanged = useCallback(
    (person: Person) => {
      const current = queryClient.getQueryData<Session | null>(sessionKey);
      if (!current || current.person.id !== person.id) return;
      queryClient.setQueryData(sessionKey, { ...current, person });
      // Their own roles changed what they may do: the server says so in the session.
      void queryClient.invalidateQueries({ queryKey: sessionKey });
    },
    [queryClient],
  );

  return { state: stateOf(check), retryCheck: () => void check.refetch(), signedIn, logOut, personChanged };
}
