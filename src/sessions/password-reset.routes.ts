// HTTP for password reset links: asking for one by e-mail, checking one, and setting the
// password through one. All public: the link is what authenticates.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { passwordLengthMax } from '../auth/passwords.js';
import { sendRetryAfter } from '../auth/retry-after.js';
import type { AppContext } from '../http/context.js';
import { iso, problemResponses } from '../http/schemas.js';
import * as resets from './password-reset.service.js';
import { clientOf } from './sessions.routes.js';

const tags = ['Session'];
const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

export function passwordResetRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/password-resets', {
    config: { access: 'public', idempotent: false },
    onError: sendRetryAfter,
    schema: {
      operationId: 'requestPasswordReset',
      tags,
      summary: `Ask for a password reset link by e-mail. Answers 202 whether or not the address has an account; each active person with a password of that address gets a link that works once, for ${resets.passwordResetValidMinutes} minutes. Too many asks for an address or from a client address answer 429 rate_limited with Retry-After`,
      body: Type.Object({ email: Type.String({ maxLength: 254 }) }, { additionalProperties: false }),
      response: { 202: Type.Null(), ...problemResponses },
    },
  }, async (request, reply) => {
    await resets.requestPasswordReset(db, config.sessionKey, request.body.email, clientOf(request), request.now);
    return reply.status(202).send(null);
  });

  app.get('/api/v1/password-resets/:token', {
    config: { access: 'public' },
    schema: {
      operationId: 'getPasswordReset',
      tags,
      summary: 'Whether a password reset link still works: 404 password_reset_invalid, 410 password_reset_used or password_reset_expired when not',
      params: TokenParams,
      response: { 200: Type.Object({ companyName: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }), ...problemResponses },
    },
  }, async (request) => {
    const reset = await resets.describeReset(db, config.sessionKey, request.params.token, request.now);
    return { companyName: reset.companyName, expiresAt: iso(reset.expiresAt) };
  });

  app.post('/api/v1/password-resets/:token', {
    // A password in the body: never stored for an idempotent replay.
    config: { access: 'public', idempotent: false },
    schema: {
      operationId: 'completePasswordReset',
      tags,
      summary: 'Set a new password through a reset link: the link is spent, every session of the person ends, and nobody is signed in',
      params: TokenParams,
      body: Type.Object({ password: Type.String({ maxLength: passwordLengthMax }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...problemResponses },
    },
  }, async (request, reply) => {
    await resets.completeReset(db, config, request.params.token, request.body.password, request.now);
    return reply.status(204).send(null);
  });
}
