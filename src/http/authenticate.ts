// Finds the principal of each API request and enforces each route's permission and, for
// cookie-authenticated writes, CSRF protection.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission } from '../auth/permissions.js';
import { requirePermission, type Principal } from '../auth/principal.js';
import type { Config } from '../config/config.js';
import { DomainError } from '../shared/errors.js';

export const sessionCookie = 'outlay_session';
export const csrfHeader = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    authenticatedBy: 'session' | 'api_key' | null;
  }
  interface FastifyContextConfig {
    /** 'public': no principal needed; 'signed-in': any principal; else the permission needed. */
    access?: 'public' | 'signed-in' | Permission;
    /** true on the routes a session that must enrol a second factor may use (principal.mfaPending). */
    whileEnrolling?: boolean;
    /** false on the few POSTs whose response must never be replayed (login). */
    idempotent?: boolean;
    /** Rewrites a JSON response before it is kept for replay, to leave out secrets. */
    idempotentReplay?: (body: Record<string, unknown>) => Record<string, unknown>;
    /** A public POST another site's page sends on purpose (a SAML response from the identity
     * provider): its Origin is that site's. It must carry its own proof (a signature). */
    crossSiteForm?: boolean;
  }
}

/** How the HTTP layer finds who is calling. The sessions module implements it; the
 * composition root hands it in, so this layer knows no feature. */
export interface Authenticator {
  /** The principal of an API key, or null when the key is not valid or was revoked. */
  apiKey(token: string, now: Date): Promise<Principal | null>;
  /** The principal of a session cookie, with the check of its CSRF token, or null. */
  session(token: string, now: Date): Promise<{ principal: Principal; csrfTokenMatches(candidate: string): boolean } | null>;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function checkOrigin(request: FastifyRequest, publicUrl: string): void {
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new DomainError('csrf_failed', 'the Origin header is not a URL');
  }
  if (host !== request.headers.host && host !== new URL(publicUrl).host) {
    throw new DomainError('csrf_failed', `requests from ${origin} are not accepted`);
  }
}

/** The principal a route handler may rely on: the access hook has checked it exists. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated', 'sign in or send an API key');
  return request.principal;
}

export function registerAuthentication(app: FastifyInstance, config: Pick<Config, 'publicUrl'>, authenticator: Authenticator): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('authenticatedBy', null);

  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // not an API route (static files, ops endpoints)
    const unsafe = !safeMethods.has(request.method);
    if (unsafe && !(access === 'public' && request.routeOptions.config.crossSiteForm === true)) checkOrigin(request, config.publicUrl);
    // Public routes act for nobody: a session cookie that happens to be sent along (signing
    // in again, accepting an invitation) neither identifies the caller nor needs a CSRF token.
    if (access === 'public') return;

    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      request.principal = await authenticator.apiKey(authorization.slice('Bearer '.length).trim(), request.now);
      if (!request.principal) throw new DomainError('unauthenticated', 'the API key is not valid or was revoked');
      request.authenticatedBy = 'api_key';
    } else {
      const token = request.cookies[sessionCookie];
      const resolved = token ? await authenticator.session(token, request.now) : null;
      if (resolved) {
        request.principal = resolved.principal;
        request.authenticatedBy = 'session';
        const csrf = request.headers[csrfHeader];
        if (unsafe && (typeof csrf !== 'string' || !resolved.csrfTokenMatches(csrf))) {
          throw new DomainError('csrf_failed', `cookie-authenticated writes must send the session's CSRF token in ${csrfHeader}`);
        }
      }
    }

    const principal = principalOf(request);
    if (principal.kind === 'user' && principal.mfaPending && !request.routeOptions.config.whileEnrolling) {
      throw new DomainError('mfa_enrollment_required', 'your company requires two-step sign-in: set up an authenticator from your account first');
    }
    if (access !== 'signed-in') requirePermission(principal, access);
  });
}
