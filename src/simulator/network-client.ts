// Plays the card network against a running Outlay: signed HTTP requests to the processor
// endpoints, exactly as a processor would send them.
import { randomBytes } from 'node:crypto';
import { signatureHeader, signRequest } from '../cards/processor-signature.js';

export interface NetworkClientOptions {
  baseUrl: string;
  secret: Buffer;
  /** Injected for tests; the real clock otherwise. */
  nowSeconds?: () => number;
}

export interface SignedResponse {
  status: number;
  body: Record<string, unknown>;
}

export function networkId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

export class NetworkClient {
  constructor(private readonly options: NetworkClientOptions) {}

  async send(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<SignedResponse> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const now = this.options.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
    const url = new URL(path, this.options.baseUrl);
    // v2: the signature covers the method, the path and query string as sent, and the body.
    const target = `${url.pathname}${url.search}`;
    const response = await fetch(url, {
      method,
      headers: {
        [signatureHeader]: signRequest(this.options.secret, { method, target, body }, now),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: payload === undefined ? undefined : body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  authorize(request: Record<string, unknown>): Promise<SignedResponse> {
    return this.send('POST', '/api/v1/processor/authorizations', request);
  }

  event(message: Record<string, unknown>): Promise<SignedResponse> {
    return this.send('POST', '/api/v1/processor/events', message);
  }

  findCardsByLast4(last4: string): Promise<SignedResponse> {
    return this.send('GET', `/api/v1/processor/cards?last4=${encodeURIComponent(last4)}`);
  }
}
