// A SAML 2.0 identity provider for tests, on an ephemeral port over plain http. There is no
// maintained SAML IdP server on npm (samlify is a library for both sides, and testing node-saml
// against a library built the same way proves little), so this one is built from the standard
// parts: it takes an AuthnRequest by the HTTP-Redirect binding (base64, raw DEFLATE; SAML
// Bindings 3.4), reads it with fast-xml-parser, and answers with a Response whose assertion is
// signed by xml-crypto (enveloped RSA-SHA256, exclusive C14N: what real providers send), in an
// HTML form that POSTs it to the service provider (HTTP-POST binding, 3.5). Its key and
// self-signed certificate are made by Debian's openssl for each run. Where a real provider
// shows its login form, this one signs in whoever the test says is at the keyboard, and the
// test may bend one thing about the answer to see it refused.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { SignedXml } from 'xml-crypto';

export interface SigningKey {
  privateKey: string;
  certificate: string;
}

/** An RSA key and a self-signed X.509 certificate for it, valid for a day. */
export function makeSigningKey(commonName: string): SigningKey {
  const dir = mkdtempSync(path.join(tmpdir(), 'outlay-saml-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1', '-subj', `/CN=${commonName}`, '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { privateKey: readFileSync(path.join(dir, 'key.pem'), 'utf8'), certificate: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SamlAccount {
  /** The NameID, in the emailAddress format. */
  email: string;
  attributes?: Record<string, string | string[]>;
}

/** One thing about the next answer made wrong, to see the service provider refuse it. */
export interface SamlBend {
  signWith?: SigningKey;
  audience?: string;
  /** Minutes from now; negative: already expired. */
  validForMinutes?: number;
  inResponseTo?: string;
  recipient?: string;
  issuer?: string;
}

export interface ReceivedRequest {
  id: string;
  issuer: string;
  acsUrl: string;
  relayState: string | undefined;
}

export interface TestSamlIdp {
  entityId: string;
  ssoUrl: string;
  key: SigningKey;
  signInAs(account: SamlAccount, bend?: SamlBend): void;
  /** The AuthnRequests received, the latest last. */
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, processEntities: false });

function readAuthnRequest(query: URLSearchParams): ReceivedRequest {
  const xml = inflateRawSync(Buffer.from(query.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  const request = (parser.parse(xml) as { AuthnRequest?: { ID: string; AssertionConsumerServiceURL: string; Issuer: string | { '#text': string } } }).AuthnRequest;
  if (!request) throw new Error('not an AuthnRequest');
  const issuer = typeof request.Issuer === 'string' ? request.Issuer : request.Issuer['#text'];
  return { id: request.ID, issuer, acsUrl: request.AssertionConsumerServiceURL, relayState: query.get('RelayState') ?? undefined };
}

function responseXml(entityId: string, request: ReceivedRequest, account: SamlAccount, bend: SamlBend, key: SigningKey): string {
  const now = Date.now();
  const instant = (ms: number) => new Date(ms).toISOString();
  const until = instant(now + (bend.validForMinutes ?? 5) * 60_000);
  const inResponseTo = escapeXml(bend.inResponseTo ?? request.id);
  const recipient = escapeXml(bend.recipient ?? request.acsUrl);
  const assertionId = `_a${randomBytes(16).toString('hex')}`;
  const attributes = Object.entries(account.attributes ?? {}).map(([name, value]) =>
    `<saml:Attribute Name="${escapeXml(name)}">${(Array.isArray(value) ? value : [value]).map((one) => `<saml:AttributeValue>${escapeXml(one)}</saml:AttributeValue>`).join('')}</saml:Attribute>`).join('');
  const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${instant(now)}">`
    + `<saml:Issuer>${escapeXml(bend.issuer ?? entityId)}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escapeXml(account.email)}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${inResponseTo}" NotOnOrAfter="${until}" Recipient="${recipient}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${instant(now - 60_000)}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escapeXml(bend.audience ?? request.issuer)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${instant(now)}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '')
    + '</saml:Assertion>';
  const response = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${instant(now)}" Destination="${recipient}" InResponseTo="${inResponseTo}">`
    + `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${escapeXml(entityId)}</saml:Issuer>`
    + '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
    + `${assertion}</samlp:Response>`;
  const signer = new SignedXml({ privateKey: key.privateKey, publicCert: key.certificate, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  signer.addReference({ xpath: "//*[local-name(.)='Assertion']", transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
  // The signature follows the assertion's Issuer, where the schema puts it (SAML Core, 2.3.3).
  signer.computeSignature(response, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return signer.getSignedXml();
}

/** The HTML a provider answers with: a form that POSTs the response to the service provider. */
function postForm(acsUrl: string, samlResponse: string, relayState: string | undefined): string {
  const relay = relayState === undefined ? '' : `<input type="hidden" name="RelayState" value="${escapeXml(relayState)}">`;
  return `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeXml(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${escapeXml(samlResponse)}">${relay}<noscript><button>Continue</button></noscript></form></body></html>`;
}

export async function startTestSamlIdp(): Promise<TestSamlIdp> {
  const key = makeSigningKey('Test SAML IdP');
  const requests: ReceivedRequest[] = [];
  let next: { account: SamlAccount; bend: SamlBend } | null = null;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://idp.test');
    try {
      if (url.pathname !== '/sso') throw new Error(`no page at ${url.pathname}`);
      const received = readAuthnRequest(url.searchParams);
      requests.push(received);
      if (!next) throw new Error('the test said nobody signs in');
      const xml = responseXml(entityId, received, next.account, next.bend, next.bend.signWith ?? key);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(postForm(received.acsUrl, Buffer.from(xml).toString('base64'), received.relayState));
    } catch (error) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${base}/metadata`;
  return {
    entityId,
    ssoUrl: `${base}/sso`,
    key,
    requests,
    signInAs(account, bend = {}) {
      next = { account, bend };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
