// A real OpenID Connect provider for tests (oidc-provider, the certified implementation),
// on an ephemeral port over plain http: the authorization code flow with PKCE, signed ID
// tokens, discovery and JWKS as a company's identity provider serves them. Where a real
// provider shows its login form, this one signs in whoever the test says is at the keyboard.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the provider next. */
  signInAs(account: TestAccount): void;
  close(): Promise<void>;
}

export async function startTestOidcProvider(redirectUri: () => string): Promise<TestOidcProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'outlay';
  const clientSecret = 'a-client-secret-the-test-shares-with-outlay';
  const accounts = new Map<string, TestAccount>();
  let current: TestAccount | null = null;
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri()], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // Claims in the ID token itself, as many providers put them, not only at userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    findAccount: async (_context, sub) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ ...account }) } : undefined;
    },
    cookies: { keys: ['a-cookie-key-for-the-test-provider'] },
  });
  provider.proxy = false;
  const callback = provider.callback();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.url?.startsWith('/interaction/')) {
      void finishInteraction(provider, request, response, () => current).catch((error: Error) => {
        response.statusCode = 500;
        response.end(error.message);
      });
      return;
    }
    callback(request, response);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(account) {
      accounts.set(account.sub, account);
      current = account;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function finishInteraction(provider: Provider, request: IncomingMessage, response: ServerResponse, current: () => TestAccount | null): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  const account = current();
  if (!account) throw new Error('the test said nobody signs in');
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(request, response, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new provider.Grant({ accountId: account.sub, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope));
  grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
  await provider.interactionFinished(request, response, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}
