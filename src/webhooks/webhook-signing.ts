// Signatures per Standard Webhooks (standardwebhooks.com): the `webhook-id`, `webhook-timestamp`
// and `webhook-signature` headers, the signature an HMAC-SHA256 of "id.timestamp.body" under the
// endpoint's secret, written by the reference package. During a rotation's overlap the header
// holds a signature under each secret, separated by a space, and a receiver accepts the
// message if any one checks out under the secret it knows.
import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** 32 random bytes, written as Standard Webhooks' `whsec_` + base64. */
const secretBytes = 32;

export function newSigningSecret(): string {
  return `whsec_${randomBytes(secretBytes).toString('base64')}`;
}

export function signatureHeaders(message: { id: string; at: Date; body: string }, secrets: readonly string[]): Record<string, string> {
  if (secrets.length === 0) throw new Error('a webhook is signed by at least one secret');
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(message.id, message.at, message.body)).join(' '),
  };
}

/** Whether a received message (its body as sent and its three headers) is signed by `secret`
 * within the package's tolerance of five minutes. */
export function verifySignedMessage(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}
