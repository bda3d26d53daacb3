// The logged-in person and their company, shared by every page through context.
import { createContext, useContext } from 'react';
import type { Person, Session } from './api/types';

export interface SessionContextValue {
  session: Session;
  logOut: () => Promise<void>;
  /** Keeps the header and home page right when an admin changes their own record. */
  personChanged: (person: Person) => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession is used outside a logged-in page');
  return value;
}
