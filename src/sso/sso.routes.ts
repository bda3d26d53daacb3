// HTTP for single sign-on: admins set the company's OpenID Connect provider and prove its
// e-mail domains; people start at /api/v1/sso/start and come back from their provider to
// /api/v1/sso/callback, which signs them in and sends them into the app. What the browser must
// keep in between (state, nonce, PKCE verifier) travels sealed in a short-lived cookie.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { fieldKeysOf } from '../config/config.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, problemResponses } from '../http/schemas.js';
import { clientOf, setSessionCookie } from '../sessions/sessions.routes.js';
import { afterFirstFactor } from '../sessions/sessions.service.js';
import { DomainError } from '../shared/errors.js';
import { decryptField, encryptField } from '../shared/field-encryption.js';
import * as sso from './sso.service.js';

const tags = ['Single sign-on'];
const pendingCookie = 'outlay_sso';
const pendingContext = 'sso:pending-sign-in';
const callbackPath = '/api/v1/sso/callback';
const RoleSchema = Type.String({ enum: ['admin', 'bookkeeper', 'reviewer', 'employee'] });

const SsoSettingsSchema = Type.Object(
  {
    connection: Type.Union([
      Type.Object({
        issuer: Type.String(),
        clientId: Type.String(),
        provisionPeople: Type.Boolean(),
        defaultRoles: Type.Array(RoleSchema),
        roleClaim: Type.Union([Type.String(), Type.Null()]),
        roleMap: Type.Record(Type.String(), RoleSchema),
        enabled: Type.Boolean(),
      }),
      Type.Null(),
    ]),
    callbackUrl: Type.String({ description: 'The redirect URI to register with the provider' }),
    domains: Type.Array(Type.Ref('SsoDomain')),
  },
  { $id: 'SsoSettings' },
);

const SsoDomainSchema = Type.Object(
  {
    domain: Type.String(),
    verifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    record: Type.Object({ name: Type.String(), value: Type.String() }, { description: 'The DNS TXT record that proves the domain' }),
  },
  { $id: 'SsoDomain' },
);

const presentDomain = (row: sso.SsoDomainRow) => ({ domain: row.domain, verifiedAt: row.verified_at ? iso(row.verified_at) : null, record: sso.verificationRecordOf(row) });

export function ssoRoutes(context: AppContext): void {
  context.app.addSchema(SsoDomainSchema);
  context.app.addSchema(SsoSettingsSchema);
  settingsRoutes(context);
  signInRoutes(context);
}

function depsOf({ database: { db }, config }: AppContext): sso.SsoDeps {
  return { db, encryptionKeys: fieldKeysOf(config), callbackUrl: `${config.publicUrl}${callbackPath}`, allowHttpIssuers: !config.production, dnsServers: config.dnsServers };
}

function settingsRoutes(context: AppContext): void {
  const app = context.app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = context.database;
  const settingsOf = async (companyId: string) => {
    const { connection, domains } = await sso.ssoSettings(db, companyId);
    return {
      connection: connection && { issuer: connection.issuer, clientId: connection.client_id, provisionPeople: connection.provision_people, defaultRoles: connection.default_roles, roleClaim: connection.role_claim, roleMap: connection.role_map, enabled: connection.enabled },
      callbackUrl: depsOf(context).callbackUrl,
      domains: domains.map(presentDomain),
    };
  };
  const access = { access: 'company:manage' as const };
  app.get('/api/v1/sso', { config: access, schema: { operationId: 'getSso', tags, summary: 'The company\'s single sign-on: its OpenID Connect provider (never its secret) and e-mail domains', response: { 200: Type.Ref('SsoSettings'), ...problemResponses } } }, async (request) => settingsOf(principalOf(request).companyId));
  app.put('/api/v1/sso', {
    config: access,
    schema: {
      operationId: 'setSso',
      tags,
      summary: 'Sets the company\'s OpenID Connect provider (audited as sso.updated, without the secret)',
      body: Type.Object({
        issuer: Type.String({ maxLength: 500 }),
        clientId: Type.String({ minLength: 1, maxLength: 300 }),
        clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Required the first time; left out, the stored one stays' })),
        provisionPeople: Type.Boolean({ description: 'People of a verified domain without a person here get one on their first sign-in' }),
        defaultRoles: Type.Array(RoleSchema, { minItems: 1, maxItems: 4 }),
        roleClaim: Type.Union([Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$' }), Type.Null()], { description: 'A claim of the ID token (e.g. groups) whose values give roles, at every sign-in' }),
        roleMap: Type.Record(Type.String({ maxLength: 200 }), RoleSchema, { maxProperties: 50 }),
        enabled: Type.Boolean(),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('SsoSettings'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    await sso.saveConnection(depsOf(context), principal.companyId, request.body, actorOf(principal), request.now);
    return settingsOf(principal.companyId);
  });
  app.post('/api/v1/sso/domains', {
    config: access,
    schema: { operationId: 'addSsoDomain', tags, summary: 'Adds an e-mail domain; it signs in nobody until its DNS record is verified', body: Type.Object({ domain: Type.String({ maxLength: 253 }) }, { additionalProperties: false }), response: { 201: Type.Ref('SsoDomain'), ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(presentDomain(await sso.addDomain(db, principalOf(request).companyId, request.body.domain, actorOf(principalOf(request))))));
  const DomainParams = Type.Object({ domain: Type.String({ maxLength: 253 }) });
  app.post('/api/v1/sso/domains/:domain/verify', {
    config: access,
    schema: { operationId: 'verifySsoDomain', tags, summary: 'Looks up the domain\'s TXT record and verifies it when it holds the token', params: DomainParams, response: { 200: Type.Ref('SsoDomain'), ...problemResponses } },
  }, async (request) => presentDomain(await sso.verifyDomain(depsOf(context), principalOf(request).companyId, request.params.domain, actorOf(principalOf(request)), request.now)));
  app.delete('/api/v1/sso/domains/:domain', {
    config: access,
    schema: { operationId: 'removeSsoDomain', tags, summary: 'Removes an e-mail domain', params: DomainParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await sso.removeDomain(db, principalOf(request).companyId, request.params.domain, actorOf(principalOf(request)));
    return reply.status(204).send(null);
  });
}

function signInRoutes(context: AppContext): void {
  const app = context.app.withTypeProvider<TypeBoxTypeProvider>();
  const { config } = context;
  const { db } = context.database;
  // A failed sign-in ends on the app's sign-in page, which says why (its code).
  const backToSignIn = (reply: FastifyReply, error: unknown) => {
    const code = error instanceof DomainError ? error.code : 'sso_failed';
    return reply.clearCookie(pendingCookie, { path: '/api/v1/sso' }).redirect(`/?ssoError=${encodeURIComponent(code)}`, 303);
  };
  app.get('/api/v1/sso/start', {
    config: { access: 'public', idempotent: false },
    schema: { operationId: 'startSso', tags, summary: 'Sends the person to their company\'s identity provider (303); back at the sign-in page with ssoError when there is none', querystring: Type.Object({ email: Type.String({ maxLength: 254 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    try {
      const { url, pending } = await sso.startSignIn(depsOf(context), request.query.email, request.now);
      reply.setCookie(pendingCookie, encryptField(config.sessionKey, JSON.stringify(pending), pendingContext), { path: '/api/v1/sso', httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, maxAge: sso.ssoAttemptTtlMs / 1000 });
      return reply.redirect(url, 303);
    } catch (error) {
      return backToSignIn(reply, error);
    }
  });
  app.get(callbackPath, {
    config: { access: 'public', idempotent: false },
    schema: { operationId: 'finishSso', tags, summary: 'Where the identity provider sends the person back: signs them in and opens the app (303); a person with two-step sign-in goes to the app\'s code step with the challenge in the fragment (/login#mfaChallenge=...)', querystring: Type.Object({}, { additionalProperties: true }) },
  }, async (request, reply) => {
    try {
      const pending = pendingOf(request, config.sessionKey);
      const person = await sso.finishSignIn(depsOf(context), pending, new URL(request.url, config.publicUrl), request.now);
      const outcome = await afterFirstFactor(db, config, person, clientOf(request), request.now);
      reply.clearCookie(pendingCookie, { path: '/api/v1/sso' });
      // A person with a second factor goes on to the sign-in page's code step; the challenge
      // travels in the fragment, which the browser never sends to a server or a log.
      if (outcome.kind === 'mfa_required') return reply.redirect(`/login#mfaChallenge=${encodeURIComponent(outcome.challenge)}`, 303);
      setSessionCookie(config, reply, outcome.started);
      return reply.redirect('/', 303);
    } catch (error) {
      if (!(error instanceof DomainError)) request.log.warn({ err: error }, 'single sign-on failed');
      return backToSignIn(reply, error);
    }
  });
}

function pendingOf(request: FastifyRequest, sessionKey: Buffer): sso.PendingSignIn {
  const sealed = request.cookies[pendingCookie];
  if (!sealed) throw new DomainError('sso_failed', 'the sign-in was not started in this browser; start again');
  try {
    return JSON.parse(decryptField(sessionKey, sealed, pendingContext)) as sso.PendingSignIn;
  } catch {
    throw new DomainError('sso_failed', 'the sign-in could not be read back; start again');
  }
}
