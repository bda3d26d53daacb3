// SAML 2.0 Web Browser SSO (SAML Profiles, 4.1) with @node-saml/node-saml: an AuthnRequest
// sent by the HTTP-Redirect binding, a Response POSTed back to our assertion consumer service.
// node-saml checks the signature (of the response or of its assertion, by one of the company's
// certificates), the audience, the time conditions and InResponseTo; what it leaves to its
// caller is checked here: the assertion's Issuer, the bearer confirmation's Recipient and
// InResponseTo inside the signed assertion, the response's Destination, and no DTD at all.
// The assertion's attributes become the claims sso-sign-in.ts decides on.
import { randomBytes } from 'node:crypto';
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { DomainError } from '../shared/errors.js';
import type { SsoClaims } from './sso-sign-in.js';

/** The base64 SAMLResponse field a POST may carry: responses are a few KiB, with certificates. */
export const samlResponseBytesMax = 256 * 1024;
/** How far the provider's clock may be from ours for NotBefore and NotOnOrAfter. */
export const samlClockSkewMs = 60_000;
/** A used assertion ID is kept at most this long, whatever its NotOnOrAfter says. */
const assertionMemoryMsMax = 24 * 60 * 60_000;
const emailNameIdFormat = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const bearer = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export interface SamlParties {
  /** The identity provider's entity ID: the assertions' Issuer. */
  idpEntityId: string;
  /** Where the provider takes AuthnRequests (HTTP-Redirect binding). */
  ssoUrl: string;
  certificates: readonly string[];
  /** Ours: the assertions' Audience. */
  spEntityId: string;
  /** Our assertion consumer service: the Recipient and Destination. */
  acsUrl: string;
  /** Null: the NameID, when its format is emailAddress. */
  emailAttribute: string | null;
  nameAttribute: string | null;
  /** The attribute whose values map to roles (e.g. groups). */
  roleAttribute: string | null;
  /** Our key and certificate: AuthnRequests are signed (SAML Bindings, 3.4.4.1); null: not. */
  signing: { privateKey: string; certificate: string } | null;
}

export interface SamlRequest {
  url: string;
  requestId: string;
  relayState: string;
}

export interface SamlAssertion {
  id: string;
  /** Until when the assertion's ID must be remembered. */
  expiresAt: Date;
  claims: SsoClaims;
}

/** A cache of the one request this browser started: node-saml asks it for InResponseTo. */
function pendingRequestCache(requestId: string | null, startedAt: number): CacheProvider {
  const instant = new Date(startedAt).toISOString();
  return {
    saveAsync: async (_key, value) => ({ value, createdAt: startedAt }),
    getAsync: async (key) => (requestId !== null && key === requestId ? instant : null),
    removeAsync: async (key) => key,
  };
}

function samlOf(parties: SamlParties, requestId: string | null, startedAt: number, requestAgeMsMax: number): SAML {
  return new SAML({
    entryPoint: parties.ssoUrl,
    issuer: parties.spEntityId,
    audience: parties.spEntityId,
    callbackUrl: parties.acsUrl,
    idpCert: [...parties.certificates],
    // A signature over the response or over its assertion: node-saml refuses a response with
    // neither, and uses only the signed part.
    wantAssertionsSigned: false,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: samlClockSkewMs,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: requestAgeMsMax,
    cacheProvider: pendingRequestCache(requestId, startedAt),
    identifierFormat: parties.emailAttribute === null ? emailNameIdFormat : null,
    disableRequestedAuthnContext: true,
    generateUniqueId: () => requestId ?? `_${randomBytes(20).toString('hex')}`,
    ...(parties.signing ? { privateKey: parties.signing.privateKey, publicCert: parties.signing.certificate, signatureAlgorithm: 'sha256' as const } : {}),
  });
}

/** The provider's sign-in URL with a deflated AuthnRequest (SAML Bindings, 3.4). */
export async function samlAuthnRequest(parties: SamlParties, startedAt: number, requestAgeMsMax: number): Promise<SamlRequest> {
  // SAML IDs are xsd:ID, which may not start with a digit.
  const requestId = `_${randomBytes(20).toString('hex')}`;
  const relayState = randomBytes(24).toString('base64url');
  const url = await samlOf(parties, requestId, startedAt, requestAgeMsMax).getAuthorizeUrlAsync(relayState, undefined, {});
  return { url, requestId, relayState };
}

/** The SP metadata a company gives its identity provider. */
export function samlMetadata(parties: SamlParties): string {
  return samlOf(parties, null, Date.now(), 0).generateServiceProviderMetadata(null, parties.signing?.certificate ?? null);
}

const failed = (why: string) => new DomainError('sso_failed', `the identity provider's answer could not be checked (${why}); start again`);

/** Checks a POSTed SAMLResponse answering `requestId`; the assertion it carries, or sso_failed. */
export async function checkSamlResponse(parties: SamlParties, samlResponse: string, requestId: string, startedAt: number, requestAgeMsMax: number, now: Date): Promise<SamlAssertion> {
  if (samlResponse.length > samlResponseBytesMax) throw failed('too large');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  // No document type: internal entities are how XML bombs and signature-wrapping tricks start,
  // and SAML never needs one (SAML Core, 1.3: no DTD processing is required).
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw failed('a document type declaration');
  let profile: Profile | null;
  try {
    ({ profile } = await samlOf(parties, requestId, startedAt, requestAgeMsMax).validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (error) {
    throw failed(error instanceof Error ? error.message : 'invalid');
  }
  if (!profile) throw failed('no assertion');
  const destination = /^\s*(?:<\?xml[^>]*\?>\s*)?<(?:\w+:)?Response\b[^>]*?\sDestination="([^"]*)"/.exec(xml)?.[1];
  if (destination !== undefined && destination !== parties.acsUrl) throw failed('another Destination');
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlNode } | undefined)?.Assertion;
  if (!assertion) throw failed('no assertion');
  if (profile.issuer !== parties.idpEntityId) throw failed('another Issuer');
  // node-saml reads the system clock; Outlay's own (request.now) decides too.
  const conditions = (assertion.Conditions as XmlNode[] | undefined)?.[0]?.$ ?? {};
  if (Date.parse(conditions.NotOnOrAfter ?? '') - samlClockSkewMs <= now.getTime()) throw failed('expired');
  if (Date.parse(conditions.NotBefore ?? '') - samlClockSkewMs > now.getTime()) throw failed('not valid yet');
  const confirmation = bearerConfirmation(assertion, parties.acsUrl, requestId);
  if (!confirmation) throw failed('no bearer confirmation for this request and Recipient');
  const id = assertion.$?.ID;
  if (!id) throw failed('an assertion without ID');
  const notOnOrAfter = Date.parse(confirmation.NotOnOrAfter ?? '');
  const until = Math.min(Number.isFinite(notOnOrAfter) ? notOnOrAfter + samlClockSkewMs : Infinity, now.getTime() + assertionMemoryMsMax);
  return { id, expiresAt: new Date(until), claims: claimsOf(parties, profile) };
}

interface XmlNode {
  $?: Record<string, string>;
  [child: string]: unknown;
}

/** The bearer SubjectConfirmationData naming our ACS and this request (SAML Profiles, 4.1.4.2). */
function bearerConfirmation(assertion: XmlNode, acsUrl: string, requestId: string): Record<string, string> | undefined {
  const subject = (assertion.Subject as XmlNode[] | undefined)?.[0];
  const confirmations = (subject?.SubjectConfirmation as XmlNode[] | undefined) ?? [];
  for (const confirmation of confirmations) {
    if (confirmation.$?.Method !== bearer) continue;
    const data = (confirmation.SubjectConfirmationData as XmlNode[] | undefined)?.[0]?.$;
    if (data?.Recipient === acsUrl && data.InResponseTo === requestId && data.NotOnOrAfter) return data;
  }
  return undefined;
}

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const attributeOf = (attributes: Record<string, unknown>, name: string): unknown => (Object.hasOwn(attributes, name) ? attributes[name] : undefined);

/**
 * SAML has no email_verified: the provider vouches for the address by signing the assertion,
 * and the company has proven by DNS that the address's domain is its own, so an address is
 * taken as verified here and decideSsoSignIn refuses any address of another domain.
 */
function claimsOf(parties: SamlParties, profile: Profile): SsoClaims {
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const email = parties.emailAttribute === null ? (profile.nameIDFormat === emailNameIdFormat ? profile.nameID : undefined) : single(attributeOf(attributes, parties.emailAttribute));
  const claims: SsoClaims = { email, email_verified: email !== undefined, name: parties.nameAttribute === null ? undefined : single(attributeOf(attributes, parties.nameAttribute)) };
  // An own property whatever its name (even __proto__), as sso-sign-in.ts reads it.
  if (parties.roleAttribute !== null) Object.defineProperty(claims, parties.roleAttribute, { value: attributeOf(attributes, parties.roleAttribute), enumerable: true });
  return claims;
}
