// HTTP for signing in and out, and for invitation links, which sign the invited person in.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { passwordLengthMax } from '../auth/passwords.js';
import { sendRetryAfter } from '../auth/retry-after.js';
import type { Config } from '../config/config.js';
import { principalOf, sessionCookie } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, problemResponses } from '../http/schemas.js';
import { fieldKeysOf } from '../config/config.js';
import { relyingPartyOf } from '../mfa/relying-party.js';
import { mfaChallengeLengthMax } from './mfa-challenge.js';
import { CompanyChoiceSchema, MfaChallengeSchema, InvitationPreviewSchema, OwnSessionSchema, PermissionSchema, presentOwnSession, presentSession, SessionSchema } from './sessions.presenters.js';
import * as sessions from './sessions.service.js';

const tags = ['Session'];

/** The client as the session list shows it: its address (through the proxies config.trustProxy
 * believes) and what its User-Agent says. */
export const clientOf = (request: FastifyRequest): sessions.SessionClient => ({ ipAddress: request.ip, userAgent: request.headers['user-agent'] ?? null });

/** Sets the session's cookie: also for sign-ins that end in a redirect (single sign-on). */
export function setSessionCookie(config: Pick<Config, 'cookieSecure'>, reply: FastifyReply, started: sessions.StartedSession): FastifyReply {
  return reply.setCookie(sessionCookie, started.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    expires: started.expiresAt,
  });
}

function sendSession(config: Config, reply: FastifyReply, started: sessions.StartedSession, view: sessions.SessionView) {
  setSessionCookie(config, reply, started);
  return reply.send(presentSession(view, started.csrfToken, config));
}

export function sessionsRoutes(context: AppContext): void {
  context.app.addSchema(PermissionSchema);
  context.app.addSchema(SessionSchema);
  context.app.addSchema(MfaChallengeSchema);
  context.app.addSchema(CompanyChoiceSchema);
  context.app.addSchema(InvitationPreviewSchema);
  context.app.addSchema(OwnSessionSchema);
  signInRoutes(context);
  invitationLinkRoutes(context);
  ownSessionRoutes(context);
  passwordRoutes(context);
}

function signInRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  // Read per request: on an ephemeral port the public URL is known only once listening.
  const relyingParty = () => relyingPartyOf(config.publicUrl);
  app.post('/api/v1/session', {
    // Replaying a login response would hand out its session cookie: never stored.
    config: { access: 'public', idempotent: false },
    onError: sendRetryAfter,
    schema: {
      operationId: 'signIn',
      tags,
      summary: 'Sign in with e-mail and password; sets the session cookie. A person with two-step sign-in gets no cookie but a MfaChallenge (mfaRequired: true) to send with a code to POST /api/v1/session/mfa; an address whose password is right in several companies gets a CompanyChoice and signs in again with companyId. Too many wrong passwords for an address or from a client address answer 429 rate_limited with Retry-After, the right password too until then',
      body: Type.Object({
        email: Type.String({ maxLength: 254 }),
        password: Type.String({ maxLength: 200 }),
        companyId: Type.Optional(Type.String({ maxLength: 40, description: 'The company to sign in to, when the address is a person of several (see CompanyChoice)' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Union([Type.Ref('Session'), Type.Ref('MfaChallenge'), Type.Ref('CompanyChoice')]), ...problemResponses },
    },
  }, async (request, reply) => {
    const outcome = await sessions.login(db, config, request.body, clientOf(request), request.now);
    if (outcome.kind === 'mfa_required') return reply.header('cache-control', 'no-store').send({ mfaRequired: true as const, challenge: outcome.challenge, expiresAt: iso(outcome.expiresAt) });
    if (outcome.kind === 'choose_company') return reply.header('cache-control', 'no-store').send({ chooseCompany: true as const, companies: outcome.companies });
    return sendSession(config, reply, outcome.started, await sessions.sessionViewOf(db, outcome.started.person));
  });

  app.post('/api/v1/session/mfa', {
    config: { access: 'public', idempotent: false },
    onError: sendRetryAfter,
    schema: {
      operationId: 'completeSignIn',
      tags,
      summary: 'Finish a sign-in that asked for a second factor: the challenge and either a code of the authenticator (or an unused recovery code) or a passkey\'s answer to the options of POST /api/v1/session/mfa/passkey-options set the session cookie. A code or a passkey\'s challenge is accepted once; wrong codes and failed passkey answers (401 passkey_invalid) are limited per person (429 rate_limited with Retry-After)',
      body: Type.Object({ challenge: Type.String({ maxLength: mfaChallengeLengthMax }), code: Type.Optional(Type.String({ maxLength: 40 })), passkey: Type.Optional(Type.Ref('PasskeyAssertion')) }, { additionalProperties: false }),
      response: { 200: Type.Ref('Session'), ...problemResponses },
    },
  }, async (request, reply) => {
    const { challenge, ...given } = request.body as { challenge: string; code?: string; passkey?: AuthenticationResponseJSON };
    const started = await sessions.completeSignIn(db, { ...config, keys: fieldKeysOf(config), relyingParty: relyingParty() }, challenge, given, clientOf(request), request.now);
    return sendSession(config, reply, started, await sessions.sessionViewOf(db, started.person));
  });

  app.post('/api/v1/session/mfa/passkey-options', {
    config: { access: 'public', idempotent: false },
    schema: {
      operationId: 'startPasskeySignIn',
      tags,
      summary: 'Options for navigator.credentials.get() at a sign-in\'s second step: a challenge bound to this sign-in attempt, answered once within 5 minutes, and the person\'s passkeys. 409 mfa_state_invalid when they have none',
      body: Type.Object({ challenge: Type.String({ maxLength: mfaChallengeLengthMax }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('PasskeyRequestOptions'), ...problemResponses },
    },
  }, async (request, reply) => reply.header('cache-control', 'no-store').send(await sessions.startPasskeySignIn(db, { sessionKey: config.sessionKey, relyingParty: relyingParty() }, request.body.challenge, request.now)));

  app.get('/api/v1/session', {
    config: { access: 'signed-in', whileEnrolling: true },
    schema: { operationId: 'getSession', tags, summary: 'The signed-in person, their company and the CSRF token', response: { 200: Type.Ref('Session'), ...problemResponses } },
  }, async (request) => {
    const current = await sessions.currentSession(db, principalOf(request));
    return presentSession(current, sessions.csrfTokenFor(config.sessionKey, current.sessionId), config);
  });

  app.delete('/api/v1/session', {
    config: { access: 'signed-in', whileEnrolling: true },
    schema: { operationId: 'signOut', tags, summary: 'Sign out', response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await sessions.signOut(db, principalOf(request), request.now);
    return reply.clearCookie(sessionCookie, { path: '/' }).status(204).send(null);
  });
}

const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

function invitationLinkRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/invitations/:token', {
    config: { access: 'public' },
    schema: {
      operationId: 'getInvitation',
      tags,
      summary: 'What an invitation link is for',
      params: TokenParams,
      response: { 200: Type.Ref('InvitationPreview'), ...problemResponses },
    },
  }, async (request) => {
    const link = await sessions.describeInvitationLink(db, config.sessionKey, request.params.token, request.now);
    return { ...link, expiresAt: iso(link.expiresAt) };
  });

  app.post('/api/v1/invitations/:token/accept', {
    config: { access: 'public', idempotent: false },
    schema: {
      operationId: 'acceptInvitation',
      tags,
      summary: 'Accept an invitation by choosing a password; signs the person in',
      params: TokenParams,
      body: Type.Object({ password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('Session'), ...problemResponses },
    },
  }, async (request, reply) => {
    const started = await sessions.acceptInvitation(db, config, request.params.token, request.body.password, clientOf(request), request.now);
    return sendSession(config, reply, started, await sessions.sessionViewOf(db, started.person));
  });
}

const accountTags = ['Account'];

function ownSessionRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/me/sessions', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listOwnSessions',
      tags: accountTags,
      summary: `The signed-in person's live sessions, newest first (at most ${sessions.sessionsListedMax})`,
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('OwnSession')) }), ...problemResponses },
    },
  }, async (request) => ({ items: (await sessions.listOwnSessions(db, principalOf(request), request.now)).map(presentOwnSession) }));

  app.delete('/api/v1/me/sessions/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'endOwnSession', tags: accountTags, summary: 'End one of the signed-in person\'s sessions (another person\'s is not found)', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await sessions.endOwnSession(db, principalOf(request), request.params.id, request.now);
    return reply.status(204).send(null);
  });

  app.delete('/api/v1/me/sessions', {
    config: { access: 'signed-in' },
    schema: { operationId: 'endAllOwnSessions', tags: accountTags, summary: 'Sign out everywhere: every session of the signed-in person ends, this one too', response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await sessions.endAllOwnSessions(db, principalOf(request), request.now);
    return reply.clearCookie(sessionCookie, { path: '/' }).status(204).send(null);
  });
}

function passwordRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/me/password', {
    // A password in the body: never stored for an idempotent replay.
    config: { access: 'signed-in', idempotent: false },
    onError: sendRetryAfter,
    schema: {
      operationId: 'changeOwnPassword',
      tags: accountTags,
      summary: 'Change the signed-in person\'s password; the current one is required, and their other sessions end',
      body: Type.Object({
        currentPassword: Type.String({ maxLength: passwordLengthMax }),
        newPassword: Type.String({ maxLength: passwordLengthMax }),
      }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...problemResponses },
    },
  }, async (request, reply) => {
    await sessions.changeOwnPassword(db, config, principalOf(request), { current: request.body.currentPassword, next: request.body.newPassword }, request.now);
    return reply.status(204).send(null);
  });
}
