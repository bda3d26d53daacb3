// HTTP for the signed-in person's two-step sign-in: its state, enrolling an authenticator,
// turning it off, new recovery codes, and their passkeys. A session that must enrol (the company's rule) may
// use every route here (whileEnrolling).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { passwordLengthMax } from '../auth/passwords.js';
import type { Principal } from '../auth/principal.js';
import { sendRetryAfter } from '../auth/retry-after.js';
import { fieldKeysOf } from '../config/config.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, problemResponses } from '../http/schemas.js';
import { DomainError } from '../shared/errors.js';
import * as mfa from './mfa.service.js';
import { PasskeyName, passkeySchemas, presentPasskey } from './passkeys.presenters.js';
import * as passkeys from './passkeys.service.js';
import { recoveryCodeCount } from './recovery-codes.js';
import { relyingPartyOf } from './relying-party.js';

const tags = ['Account'];
/** A TOTP code is 6 digits and a recovery code 11 characters; room for spaces typed along. */
const codeLengthMax = 40;
const Code = Type.String({ maxLength: codeLengthMax, description: 'The 6 digits the authenticator shows now, or an unused recovery code' });

const MfaStatusSchema = Type.Object(
  {
    totp: Type.Boolean({ description: 'Whether two-step sign-in with an authenticator is on' }),
    recoveryCodesLeft: Type.Integer({ description: 'Unused recovery codes' }),
    required: Type.Boolean({ description: 'Whether the company requires it of this person (admins and bookkeepers, when the company says so)' }),
  },
  { $id: 'MfaStatus' },
);
const RecoveryCodesSchema = Type.Object(
  { recoveryCodes: Type.Array(Type.String(), { description: `${recoveryCodeCount} single-use codes, shown this once` }) },
  { $id: 'RecoveryCodes' },
);
const Reauthentication = Type.Object({ password: Type.String({ maxLength: passwordLengthMax }), code: Code }, { additionalProperties: false });

function personOf(principal: Principal) {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'API keys have no second factor');
  return { companyId: principal.companyId, userId: principal.userId, roles: principal.roles };
}

/** Secrets in the response: neither cached nor stored for an idempotent replay. */
const secretReply = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export function mfaRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = withTypeBox(base);
  app.addSchema(MfaStatusSchema);
  app.addSchema(RecoveryCodesSchema);
  const keys = (): mfa.MfaKeys => fieldKeysOf(config);
  const access = { access: 'signed-in', whileEnrolling: true, idempotent: false } as const;

  app.get('/api/v1/me/mfa', {
    config: { access: 'signed-in', whileEnrolling: true },
    schema: { operationId: 'getOwnMfa', tags, summary: 'The signed-in person\'s two-step sign-in: on or off, recovery codes left, whether their company requires it', response: { 200: Type.Ref('MfaStatus'), ...problemResponses } },
  }, async (request) => mfa.statusOf(db, personOf(principalOf(request))));

  app.post('/api/v1/me/mfa/totp', {
    config: access,
    schema: {
      operationId: 'startTotpEnrollment',
      tags,
      summary: 'Start setting up an authenticator: a new secret, as an otpauth:// URI for a QR code and as text to type in. Nothing changes at sign-in until it is confirmed with a code; starting again replaces the secret',
      response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String() }), ...problemResponses },
    },
  }, async (request, reply) => secretReply(reply).send(await mfa.startTotpEnrollment(db, keys(), personOf(principalOf(request)), request.now)));

  app.post('/api/v1/me/mfa/totp/confirm', {
    config: access,
    onError: sendRetryAfter,
    schema: {
      operationId: 'confirmTotpEnrollment',
      tags,
      summary: 'Turn two-step sign-in on with a current code of the new authenticator; answers the recovery codes, shown this once (audited as person.mfa_enabled)',
      body: Type.Object({ code: Code }, { additionalProperties: false }),
      response: { 200: Type.Ref('RecoveryCodes'), ...problemResponses },
    },
  }, async (request, reply) => secretReply(reply).send(await mfa.confirmTotpEnrollment(db, keys(), personOf(principalOf(request)), request.body.code, request.now)));

  app.post('/api/v1/me/mfa/totp/disable', {
    config: access,
    onError: sendRetryAfter,
    schema: {
      operationId: 'disableTotp',
      tags,
      summary: 'Turn two-step sign-in off with the password and a code; its recovery codes go too. Refused (409 mfa_state_invalid) while the company requires it of the person (audited as person.mfa_disabled)',
      body: Reauthentication,
      response: { 204: Type.Null(), ...problemResponses },
    },
  }, async (request, reply) => {
    await mfa.disableTotp(db, keys(), personOf(principalOf(request)), request.body, request.now);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/me/mfa/recovery-codes', {
    config: access,
    onError: sendRetryAfter,
    schema: {
      operationId: 'regenerateRecoveryCodes',
      tags,
      summary: 'New recovery codes with the password and a code; the old ones stop working (audited as person.recovery_codes_replaced)',
      body: Reauthentication,
      response: { 200: Type.Ref('RecoveryCodes'), ...problemResponses },
    },
  }, async (request, reply) => secretReply(reply).send(await mfa.regenerateRecoveryCodes(db, keys(), personOf(principalOf(request)), request.body, request.now)));

  passkeyRoutes(app, { database: { db }, config });
}

const withTypeBox = (app: AppContext['app']) => app.withTypeProvider<TypeBoxTypeProvider>();
type MfaApp = ReturnType<typeof withTypeBox>;

function passkeyRoutes(app: MfaApp, { database: { db }, config }: { database: { db: AppContext['database']['db'] }; config: AppContext['config'] }): void {
  for (const schema of passkeySchemas) app.addSchema(schema);
  // Read per request: on an ephemeral port the public URL is known only once listening.
  const relyingParty = () => relyingPartyOf(config.publicUrl);
  const access = { access: 'signed-in', whileEnrolling: true, idempotent: false } as const;

  app.get('/api/v1/me/mfa/passkeys', {
    config: { access: 'signed-in', whileEnrolling: true },
    schema: { operationId: 'listOwnPasskeys', tags, summary: 'The signed-in person\'s passkeys, oldest first', response: { 200: Type.Object({ items: Type.Array(Type.Ref('Passkey')) }), ...problemResponses } },
  }, async (request) => ({ items: (await passkeys.listPasskeys(db, personOf(principalOf(request)))).map(presentPasskey) }));

  app.post('/api/v1/me/mfa/passkeys/registration-options', {
    config: access,
    schema: {
      operationId: 'startPasskeyRegistration',
      tags,
      summary: `Start adding a passkey: options for navigator.credentials.create() with a challenge that may be answered once, within ${passkeys.passkeyChallengeTtlMs / 60_000} minutes (the RP ID is the public URL's host)`,
      response: { 200: Type.Ref('PasskeyCreationOptions'), ...problemResponses },
    },
  }, async (request, reply) => secretReply(reply).send(await passkeys.startRegistration(db, relyingParty(), personOf(principalOf(request)), request.now)));

  app.post('/api/v1/me/mfa/passkeys', {
    config: access,
    schema: {
      operationId: 'addPasskey',
      tags,
      summary: 'Add a passkey with the authenticator\'s answer to the registration challenge, under a name; it is a second factor from now on (audited as person.passkey_added). 400 passkey_registration_invalid when the answer does not verify',
      body: Type.Object({ name: PasskeyName, response: Type.Ref('PasskeyRegistration') }, { additionalProperties: false }),
      response: { 201: Type.Ref('Passkey'), ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(presentPasskey(await passkeys.finishRegistration(db, relyingParty(), personOf(principalOf(request)), request.body as Parameters<typeof passkeys.finishRegistration>[3], request.now))));

  app.post('/api/v1/me/mfa/passkeys/:id/remove', {
    config: access,
    onError: sendRetryAfter,
    schema: {
      operationId: 'removePasskey',
      tags,
      summary: 'Remove a passkey with the password. Refused (409 mfa_state_invalid) when it is the person\'s last second factor and their company requires one (audited as person.passkey_removed)',
      params: IdParams,
      body: Type.Object({ password: Type.String({ maxLength: passwordLengthMax }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...problemResponses },
    },
  }, async (request, reply) => {
    await mfa.removePasskey(db, personOf(principalOf(request)), request.params.id, request.body.password, request.now);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/me/mfa/passkeys/authentication-options', {
    config: { access: 'signed-in', idempotent: false },
    schema: {
      operationId: 'startPasskeyConfirmation',
      tags,
      summary: 'Options for navigator.credentials.get() to confirm with a passkey what asks for a second factor while signed in (revealing a card). 409 mfa_state_invalid without a passkey',
      response: { 200: Type.Ref('PasskeyRequestOptions'), ...problemResponses },
    },
  }, async (request, reply) => secretReply(reply).send(await passkeys.startAuthentication(db, relyingParty(), personOf(principalOf(request)), { purpose: 'confirmation' }, request.now)));
}
