// HTTP for single sign-on: admins set the company's identity provider (OpenID Connect or SAML)
// and prove its e-mail domains; people start at /api/v1/sso/start and come back from their
// provider to /api/v1/sso/callback (OpenID Connect) or /api/v1/sso/saml/acs (SAML, a form
// POST), which signs them in and sends them into the app. What the browser must keep in between
// (state, nonce, PKCE verifier; SAML's request ID and RelayState) travels sealed in a
// short-lived cookie.
import { X509Certificate } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
import { samlResponseBytesMax } from './saml-sign-in.js';
import * as sso from './sso.service.js';

const tags = ['Single sign-on'];
const pendingCookie = 'outlay_sso';
const pendingContext = 'sso:pending-sign-in';
const callbackPath = '/api/v1/sso/callback';
const acsPath = '/api/v1/sso/saml/acs';
const metadataPath = '/api/v1/sso/saml/metadata';
/** The ACS's form body: the SAMLResponse and a RelayState. */
const acsBodyBytesMax = samlResponseBytesMax + 4 * 1024;
const relayStateLengthMax = 80;
const attributeName = { pattern: '^[A-Za-z_][A-Za-z0-9_.:/#-]{0,199}$' };
const RoleSchema = Type.String({ enum: ['admin', 'bookkeeper', 'reviewer', 'employee'] });

const SsoSettingsSchema = Type.Object(
  {
    connection: Type.Union([
      Type.Object({
        protocol: Type.String({ enum: ['oidc', 'saml'] }),
        issuer: Type.String({ description: 'OpenID Connect: the issuer; SAML: the identity provider\'s entity ID' }),
        clientId: Type.String({ description: 'OpenID Connect: our client id; SAML: our entity ID (the assertions\' audience)' }),
        provisionPeople: Type.Boolean(),
        defaultRoles: Type.Array(RoleSchema),
        roleClaim: Type.Union([Type.String(), Type.Null()]),
        roleMap: Type.Record(Type.String(), RoleSchema),
        enabled: Type.Boolean(),
        saml: Type.Union([
          Type.Object({
            idpEntityId: Type.String(),
            ssoUrl: Type.String(),
            spEntityId: Type.String(),
            certificates: Type.Array(Type.Object({ subject: Type.String(), notAfter: Type.String({ format: 'date-time' }), fingerprint256: Type.String() })),
            emailAttribute: Type.Union([Type.String(), Type.Null()]),
            nameAttribute: Type.Union([Type.String(), Type.Null()]),
            metadataUrl: Type.String({ description: 'Our SP metadata, for the identity provider' }),
          }),
          Type.Null(),
        ], { description: 'The SAML connection; null for OpenID Connect' }),
      }),
      Type.Null(),
    ]),
    callbackUrl: Type.String({ description: 'The redirect URI to register with the provider' }),
    samlAcsUrl: Type.String({ description: 'SAML: the assertion consumer service (HTTP-POST) to register with the provider' }),
    samlMetadataUrl: Type.String({ description: 'SAML: our metadata URL, also our entity ID unless one is set; served once a SAML connection is saved' }),
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

const connectionCommon = {
  provisionPeople: Type.Boolean({ description: 'People of a verified domain without a person here get one on their first sign-in' }),
  defaultRoles: Type.Array(RoleSchema, { minItems: 1, maxItems: 4 }),
  roleMap: Type.Record(Type.String({ maxLength: 200 }), RoleSchema, { maxProperties: 50 }),
  enabled: Type.Boolean(),
};
const OidcConnectionBody = Type.Object({
  protocol: Type.Optional(Type.Literal('oidc', { description: 'Left out: OpenID Connect' })),
  issuer: Type.String({ maxLength: 500 }),
  clientId: Type.String({ minLength: 1, maxLength: 300 }),
  clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Required the first time; left out, the stored one stays' })),
  roleClaim: Type.Union([Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$' }), Type.Null()], { description: 'A claim of the ID token (e.g. groups) whose values give roles, at every sign-in' }),
  ...connectionCommon,
}, { additionalProperties: false, title: 'OpenID Connect' });
const SamlConnectionBody = Type.Object({
  protocol: Type.Literal('saml'),
  idpEntityId: Type.String({ minLength: 1, maxLength: 500, description: 'The identity provider\'s entity ID: the assertions\' Issuer' }),
  ssoUrl: Type.String({ maxLength: 1000, description: 'Where the provider takes AuthnRequests (HTTP-Redirect binding)' }),
  certificates: Type.Optional(Type.Array(Type.String({ maxLength: 8000 }), { minItems: 1, maxItems: 2, description: 'The provider\'s signing certificates (X.509, PEM); two while it rotates its key. Required the first time; left out, the stored ones stay' })),
  spEntityId: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'Ours; left out, the company\'s metadata URL' })),
  emailAttribute: Type.Union([Type.String({ ...attributeName, maxLength: 200 }), Type.Null()], { description: 'The attribute with the e-mail address; null: the NameID, in the emailAddress format' }),
  nameAttribute: Type.Union([Type.String({ ...attributeName, maxLength: 200 }), Type.Null()]),
  roleClaim: Type.Union([Type.String(attributeName), Type.Null()], { description: 'An attribute (e.g. groups) whose values give roles, at every sign-in' }),
  ...connectionCommon,
}, { additionalProperties: false, title: 'SAML' });

const presentDomain = (row: sso.SsoDomainRow) => ({ domain: row.domain, verifiedAt: row.verified_at ? iso(row.verified_at) : null, record: sso.verificationRecordOf(row) });

export function ssoRoutes(context: AppContext): void {
  context.app.addSchema(SsoDomainSchema);
  context.app.addSchema(SsoSettingsSchema);
  settingsRoutes(context);
  signInRoutes(context);
}

function depsOf({ database: { db }, config }: AppContext): sso.SsoDeps {
  return {
    db,
    encryptionKeys: fieldKeysOf(config),
    callbackUrl: `${config.publicUrl}${callbackPath}`,
    samlAcsUrl: `${config.publicUrl}${acsPath}`,
    samlMetadataUrlOf: (companyId) => `${config.publicUrl}${metadataPath}/${encodeURIComponent(companyId)}`,
    allowHttpIssuers: !config.production,
    dnsServers: config.dnsServers,
    samlSigning: config.samlSigning ?? null,
  };
}

function presentSaml(deps: sso.SsoDeps, connection: sso.SsoConnectionRow) {
  if (connection.protocol !== 'saml') return null;
  return {
    idpEntityId: connection.issuer,
    ssoUrl: connection.saml_sso_url ?? '',
    spEntityId: connection.client_id,
    certificates: (connection.saml_certificates ?? []).map((pem) => {
      const certificate = new X509Certificate(pem);
      return { subject: certificate.subject, notAfter: iso(new Date(certificate.validTo)), fingerprint256: certificate.fingerprint256 };
    }),
    emailAttribute: connection.saml_email_attribute,
    nameAttribute: connection.saml_name_attribute,
    metadataUrl: deps.samlMetadataUrlOf(connection.company_id),
  };
}

function settingsRoutes(context: AppContext): void {
  const app = context.app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = context.database;
  const settingsOf = async (companyId: string) => {
    const { connection, domains } = await sso.ssoSettings(db, companyId);
    const deps = depsOf(context);
    return {
      connection: connection && { protocol: connection.protocol, issuer: connection.issuer, clientId: connection.client_id, provisionPeople: connection.provision_people, defaultRoles: connection.default_roles, roleClaim: connection.role_claim, roleMap: connection.role_map, enabled: connection.enabled, saml: presentSaml(deps, connection) },
      callbackUrl: deps.callbackUrl,
      samlAcsUrl: deps.samlAcsUrl,
      samlMetadataUrl: deps.samlMetadataUrlOf(companyId),
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
      summary: 'Sets the company\'s identity provider, OpenID Connect or SAML (audited as sso.updated, without the secret)',
      body: Type.Union([OidcConnectionBody, SamlConnectionBody]),
      response: { 200: Type.Ref('SsoSettings'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    await sso.saveConnection(depsOf(context), principal.companyId, request.body, actorOf(principal), request.now);
    return settingsOf(principal.companyId);
  });
  app.delete('/api/v1/sso', {
    config: access,
    schema: { operationId: 'removeSso', tags, summary: 'Removes the company\'s identity provider (audited as sso.removed); its e-mail domains stay', response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await sso.removeConnection(db, principalOf(request).companyId, actorOf(principalOf(request)));
    return reply.status(204).send(null);
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
      // SAML's answer is a POST from the provider's site, which a Lax cookie does not go along
      // with; None needs Secure (browsers take it on http://localhost too).
      const crossSite = pending.protocol === 'saml';
      reply.setCookie(pendingCookie, encryptField(config.sessionKey, JSON.stringify(pending), pendingContext), { path: '/api/v1/sso', httpOnly: true, sameSite: crossSite ? 'none' : 'lax', secure: crossSite || config.cookieSecure, maxAge: sso.ssoAttemptTtlMs / 1000 });
      return reply.redirect(url, 303);
    } catch (error) {
      return backToSignIn(reply, error);
    }
  });
  samlRoutes(context, backToSignIn);
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

function samlRoutes(context: AppContext, backToSignIn: (reply: FastifyReply, error: unknown) => FastifyReply): void {
  const { config } = context;
  const { db } = context.database;
  context.app.withTypeProvider<TypeBoxTypeProvider>().get(`${metadataPath}/:companyId`, {
    config: { access: 'public' },
    schema: {
      operationId: 'getSamlMetadata',
      tags,
      summary: 'The company\'s SAML service provider metadata (XML), for its identity provider; 404 without a SAML connection',
      params: Type.Object({ companyId: Type.String({ maxLength: 100 }) }),
      response: { 200: Type.String({ description: 'SAML 2.0 metadata (application/samlmetadata+xml)' }), ...problemResponses },
    },
  }, async (request, reply) => reply.type('application/samlmetadata+xml').send(await sso.samlMetadataOf(depsOf(context), request.params.companyId)));
  // The form POST of the HTTP-POST binding (SAML Bindings, 3.5), parsed here only and bounded.
  context.app.register(async (scope: FastifyInstance) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: acsBodyBytesMax }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.withTypeProvider<TypeBoxTypeProvider>().post(acsPath, {
      config: { access: 'public', idempotent: false, crossSiteForm: true },
      schema: {
        operationId: 'finishSamlSso',
        tags,
        summary: 'SAML\'s assertion consumer service: the identity provider\'s form POST; signs the person in and opens the app (303)',
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.Object({ SAMLResponse: Type.String({ maxLength: samlResponseBytesMax }), RelayState: Type.Optional(Type.String({ maxLength: relayStateLengthMax })) }, { additionalProperties: true, description: 'SAML Bindings 3.5.4: SAMLResponse and RelayState; any other field a provider adds is ignored' }),
      },
    }, async (request, reply) => {
      try {
        const pending = pendingOf(request, config.sessionKey);
        const person = await sso.finishSamlSignIn(depsOf(context), pending, { samlResponse: request.body.SAMLResponse, relayState: request.body.RelayState }, request.now);
        // As after OpenID Connect: a person with a second factor goes on to its code step.
        const outcome = await afterFirstFactor(db, config, person, clientOf(request), request.now);
        reply.clearCookie(pendingCookie, { path: '/api/v1/sso' });
        if (outcome.kind === 'mfa_required') return reply.redirect(`/login#mfaChallenge=${encodeURIComponent(outcome.challenge)}`, 303);
        setSessionCookie(config, reply, outcome.started);
        return reply.redirect('/', 303);
      } catch (error) {
        if (!(error instanceof DomainError)) request.log.warn({ err: error }, 'single sign-on failed');
        else request.log.info({ code: error.code, reason: error.message }, 'single sign-on refused');
        return backToSignIn(reply, error);
      }
    });
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
