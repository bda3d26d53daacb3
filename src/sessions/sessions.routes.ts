// HTTP for signing in and out, and for invitation links, which sign the invited person in.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config/config.js';
import { principalOf, sessionCookie } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, problemResponses } from '../http/schemas.js';
import { InvitationPreviewSchema, PermissionSchema, presentSession, SessionSchema } from './sessions.presenters.js';
import * as sessions from './sessions.service.js';

const tags = ['Session'];

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
  context.app.addSchema(InvitationPreviewSchema);
  signInRoutes(context);
  invitationLinkRoutes(context);
}

function signInRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/session', {
    // Replaying a login response would hand out its session cookie: never stored.
    config: { access: 'public', idempotent: false },
    schema: {
      operationId: 'signIn',
      tags,
      summary: 'Sign in with e-mail and password; sets the session cookie',
      body: Type.Object({ email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('Session'), ...problemResponses },
    },
  }, async (request, reply) => {
    const started = await sessions.login(db, config, request.body.email, request.body.password, request.now);
    return sendSession(config, reply, started, await sessions.sessionViewOf(db, started.person));
  });

  app.get('/api/v1/session', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getSession', tags, summary: 'The signed-in person, their company and the CSRF token', response: { 200: Type.Ref('Session'), ...problemResponses } },
  }, async (request) => {
    const current = await sessions.currentSession(db, principalOf(request));
    return presentSession(current, sessions.csrfTokenFor(config.sessionKey, current.sessionId), config);
  });

  app.delete('/api/v1/session', {
    config: { access: 'signed-in' },
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
    const started = await sessions.acceptInvitation(db, config, request.params.token, request.body.password, request.now);
    return sendSession(config, reply, started, await sessions.sessionViewOf(db, started.person));
  });
}
