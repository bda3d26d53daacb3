// What the HTTP layer asks to find who is calling, answered from API keys and sessions.
import type { Db } from '../db/database.js';
import type { Authenticator } from '../http/authenticate.js';
import { resolveApiKey } from './api-keys.service.js';
import { csrfTokenMatches, resolveSession } from './sessions.service.js';

export function sessionAuthenticator(db: Db, sessionKey: Buffer): Authenticator {
  return {
    apiKey: (token, now) => resolveApiKey(db, sessionKey, token, now),
    async session(token, now) {
      const resolved = await resolveSession(db, sessionKey, token, now);
      if (!resolved) return null;
      return { principal: resolved.principal, csrfTokenMatches: (candidate) => csrfTokenMatches(sessionKey, resolved.session.id, candidate) };
    },
  };
}
