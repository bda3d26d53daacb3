// Single sign-on with OpenID Connect (openid-client) or SAML 2.0 (saml-sign-in.ts): a company
// names its identity provider and proves its e-mail domains by DNS; a person of such a domain
// signs in there (OpenID Connect: authorization code flow with PKCE, state and nonce; SAML: an
// AuthnRequest answered by a signed assertion) and comes back with claims whose verified e-mail
// decides who they are here (sso-sign-in.ts). The client secret is stored encrypted.
import { randomBytes, X509Certificate } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import * as oidc from 'openid-client';
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { Role } from '../db/schema.js';
import * as people from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { decryptField, encryptField, type FieldKeys } from '../shared/field-encryption.js';
import { checkSamlResponse, samlAuthnRequest, samlMetadata, type SamlParties } from './saml-sign-in.js';
import { decideSsoSignIn, type SsoClaims } from './sso-sign-in.js';
import * as repo from './sso.repository.js';

export type { SsoConnectionRow, SsoDomainRow } from './sso.repository.js';

/** A sign-in started but not finished is given up after this. */
export const ssoAttemptTtlMs = 10 * 60_000;
/** Provider metadata is read again after this. */
const discoveryTtlMs = 10 * 60_000;
const discoveryCacheMax = 1_000;
/** Domains one company may ask for. */
export const ssoDomainsMax = 20;
const outlayRoles: readonly Role[] = ['admin', 'bookkeeper', 'reviewer', 'employee'];
const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface SsoDeps {
  db: Db;
  encryptionKeys: FieldKeys;
  /** The address the provider sends people back to: <public URL>/api/v1/sso/callback. */
  callbackUrl: string;
  /** SAML's assertion consumer service: <public URL>/api/v1/sso/saml/acs. */
  samlAcsUrl: string;
  /** Our SAML entity ID unless the company names another: its metadata URL. */
  samlMetadataUrlOf: (companyId: string) => string;
  /** Our SAML key and certificate, when AuthnRequests are to be signed. */
  samlSigning: { privateKey: string; certificate: string } | null;
  /** Outside production a provider may be on plain http (a test's, a developer's). */
  allowHttpIssuers: boolean;
  /** DNS servers to ask for verification records; null: the system's. */
  dnsServers: readonly string[] | null;
}

const secretContext = (companyId: string) => `sso:${companyId}:client_secret`;

export interface SsoConnectionInput {
  protocol?: 'oidc';
  issuer: string;
  clientId: string;
  /** Required the first time; left out, the stored one stays. */
  clientSecret?: string;
  provisionPeople: boolean;
  defaultRoles: string[];
  roleClaim: string | null;
  roleMap: Record<string, string>;
  enabled: boolean;
}

/** A SAML connection: the provider's entity ID, sign-in URL and certificates. */
export interface SamlConnectionInput {
  protocol: 'saml';
  idpEntityId: string;
  ssoUrl: string;
  /** PEM; two while the provider rotates its key. Required the first time; left out, the
   * stored ones stay (an admin changing a role mapping need not paste them again). */
  certificates?: string[];
  /** Ours; left out, the company's metadata URL. */
  spEntityId?: string;
  emailAttribute: string | null;
  nameAttribute: string | null;
  provisionPeople: boolean;
  defaultRoles: string[];
  roleClaim: string | null;
  roleMap: Record<string, string>;
  enabled: boolean;
}

function checkCertificates(pems: readonly string[]): string[] {
  return pems.map((pem, index) => {
    try {
      return new X509Certificate(pem).toString();
    } catch {
      throw new DomainError('validation_failed', 'a certificate is an X.509 certificate in PEM', `certificates.${index}`);
    }
  });
}

function checkRoles(values: readonly string[], field: string): Role[] {
  for (const value of values) if (!(outlayRoles as readonly string[]).includes(value)) throw new DomainError('validation_failed', `${value} is not a role; roles are ${outlayRoles.join(', ')}`, field);
  return [...new Set(values)] as Role[];
}

function checkUrl(value: string, allowHttp: boolean, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DomainError('validation_failed', `the ${field} is a URL`, field);
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) throw new DomainError('validation_failed', `the ${field} is an https:// URL`, field);
  return value;
}

const checkIssuer = (issuer: string, allowHttp: boolean): string => checkUrl(issuer, allowHttp, 'issuer').replace(/\/+$/, '');

export async function saveConnection(deps: SsoDeps, companyId: string, input: SsoConnectionInput | SamlConnectionInput, actor: Actor, now: Date): Promise<repo.SsoConnectionRow> {
  const defaultRoles = checkRoles(input.defaultRoles, 'defaultRoles');
  if (defaultRoles.length === 0) throw new DomainError('validation_failed', 'people provisioned get at least one role', 'defaultRoles');
  for (const [value, role] of Object.entries(input.roleMap)) checkRoles([role], `roleMap.${value}`);
  const common = { provisionPeople: input.provisionPeople, defaultRoles, roleClaim: input.roleClaim, roleMap: input.roleMap, enabled: input.enabled };
  const saml = input.protocol === 'saml'
    ? { idpEntityId: input.idpEntityId, ssoUrl: checkUrl(input.ssoUrl, deps.allowHttpIssuers, 'ssoUrl'), certificates: input.certificates && checkCertificates(input.certificates), spEntityId: input.spEntityId ?? deps.samlMetadataUrlOf(companyId) }
    : null;
  const issuer = input.protocol === 'saml' ? input.idpEntityId : checkIssuer(input.issuer, deps.allowHttpIssuers);
  return deps.db.transaction().execute(async (trx) => {
    const existing = await repo.findConnection(trx, companyId);
    let values: repo.ConnectionValues;
    let details: Record<string, unknown>;
    if (input.protocol === 'saml') {
      saml!.certificates ??= existing?.protocol === 'saml' ? (existing.saml_certificates ?? undefined) : undefined;
      if (!saml!.certificates?.length) throw new DomainError('validation_failed', 'the provider\'s signing certificate is required', 'certificates');
      // The OpenID Connect secret stays, for a company that goes back.
      values = { protocol: 'saml', issuer, clientId: saml!.spEntityId, clientSecretCiphertext: existing?.client_secret_ciphertext ?? null, samlSsoUrl: saml!.ssoUrl, samlCertificates: saml!.certificates, samlEmailAttribute: input.emailAttribute, samlNameAttribute: input.nameAttribute, ...common };
      details = { protocol: 'saml', idpEntityId: issuer, ssoUrl: saml!.ssoUrl, spEntityId: saml!.spEntityId, certificates: saml!.certificates.map((pem) => new X509Certificate(pem).fingerprint256), emailAttribute: input.emailAttribute, nameAttribute: input.nameAttribute, ...common };
    } else {
      if (!input.clientSecret && !existing?.client_secret_ciphertext) throw new DomainError('validation_failed', 'the client secret is required', 'clientSecret');
      const clientSecretCiphertext = input.clientSecret ? encryptField(deps.encryptionKeys, input.clientSecret, secretContext(companyId)) : existing!.client_secret_ciphertext;
      values = { protocol: 'oidc', issuer, clientId: input.clientId, clientSecretCiphertext, samlSsoUrl: null, samlCertificates: null, samlEmailAttribute: null, samlNameAttribute: null, ...common };
      details = { issuer, clientId: input.clientId, secretChanged: input.clientSecret !== undefined, ...common };
    }
    const saved = await repo.upsertConnection(trx, companyId, values, now);
    await recordAudit(trx, { companyId, ...actor, action: 'sso.updated', subjectType: 'company', subjectId: companyId, details });
    discoveries.clear();
    return saved;
  });
}

/** Removes the company's identity provider: no one signs in by it any more, and its SAML
 * metadata is gone; the proven domains stay, for a provider set up again. */
export async function removeConnection(db: Db, companyId: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const removed = await repo.deleteConnection(trx, companyId);
    if (!removed) throw notFound('single sign-on connection');
    await recordAudit(trx, { companyId, ...actor, action: 'sso.removed', subjectType: 'company', subjectId: companyId, details: { protocol: removed.protocol, issuer: removed.issuer } });
  });
  discoveries.clear();
}

/** The two SAML parties of a company's connection, and where the provider answers. */
export function samlPartiesOf(deps: Pick<SsoDeps, 'samlAcsUrl' | 'samlSigning'>, connection: repo.SsoConnectionRow): SamlParties {
  return {
    idpEntityId: connection.issuer,
    ssoUrl: connection.saml_sso_url ?? '',
    certificates: connection.saml_certificates ?? [],
    spEntityId: connection.client_id,
    acsUrl: deps.samlAcsUrl,
    emailAttribute: connection.saml_email_attribute,
    nameAttribute: connection.saml_name_attribute,
    roleAttribute: connection.role_claim,
    signing: deps.samlSigning,
  };
}

/** The SP metadata of a company's SAML connection; not found for any other company. */
export async function samlMetadataOf(deps: SsoDeps, companyId: string): Promise<string> {
  const connection = await repo.findConnection(deps.db, companyId);
  if (connection?.protocol !== 'saml') throw notFound('SAML connection');
  return samlMetadata(samlPartiesOf(deps, connection));
}

export async function ssoSettings(db: Db, companyId: string): Promise<{ connection: repo.SsoConnectionRow | null; domains: repo.SsoDomainRow[] }> {
  const [connection, domains] = await Promise.all([repo.findConnection(db, companyId), repo.listDomains(db, companyId)]);
  return { connection: connection ?? null, domains };
}

/** The DNS record that proves a domain: its name and the value it must hold. */
export function verificationRecordOf(domain: repo.SsoDomainRow): { name: string; value: string } {
  return { name: `_outlay-verification.${domain.domain}`, value: `outlay-verification=${domain.verification_token}` };
}

export async function addDomain(db: Db, companyId: string, rawDomain: string, actor: Actor): Promise<repo.SsoDomainRow> {
  const domain = rawDomain.trim().toLowerCase().replace(/\.$/, '');
  if (!domainPattern.test(domain)) throw new DomainError('validation_failed', `${rawDomain} is not a domain name`, 'domain');
  return db.transaction().execute(async (trx) => {
    const existing = await repo.listDomains(trx, companyId);
    if (existing.some((row) => row.domain === domain)) return existing.find((row) => row.domain === domain)!;
    if (existing.length >= ssoDomainsMax) throw new DomainError('validation_failed', `a company has at most ${ssoDomainsMax} domains`, 'domain');
    const added = await repo.insertDomain(trx, companyId, domain, randomBytes(16).toString('base64url'));
    await recordAudit(trx, { companyId, ...actor, action: 'sso_domain.added', subjectType: 'company', subjectId: companyId, details: { domain } });
    return added ?? (await repo.findDomain(trx, companyId, domain))!;
  });
}

export async function removeDomain(db: Db, companyId: string, domain: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await repo.deleteDomain(trx, companyId, domain.toLowerCase()))) throw notFound('domain');
    await recordAudit(trx, { companyId, ...actor, action: 'sso_domain.removed', subjectType: 'company', subjectId: companyId, details: { domain } });
  });
}

/** Looks the domain's TXT record up and marks it verified when it holds the token. */
export async function verifyDomain(deps: SsoDeps, companyId: string, rawDomain: string, actor: Actor, now: Date): Promise<repo.SsoDomainRow> {
  const domain = rawDomain.trim().toLowerCase();
  const row = await repo.findDomain(deps.db, companyId, domain);
  if (!row) throw notFound('domain');
  if (row.verified_at) return row;
  const record = verificationRecordOf(row);
  const resolver = new Resolver({ timeout: 3_000, tries: 2 });
  if (deps.dnsServers) resolver.setServers([...deps.dnsServers]);
  const texts = await resolver.resolveTxt(record.name).catch(() => [] as string[][]);
  if (!texts.some((chunks) => chunks.join('') === record.value)) {
    throw new DomainError('domain_unverified', `the TXT record ${record.name} does not hold ${record.value} yet`, 'domain');
  }
  return deps.db.transaction().execute(async (trx) => {
    const verified = await repo.markVerified(trx, companyId, domain, now);
    if (!verified) throw new DomainError('conflict', `${domain} is verified by another company`, 'domain');
    await recordAudit(trx, { companyId, ...actor, action: 'sso_domain.verified', subjectType: 'company', subjectId: companyId, details: { domain } });
    return verified;
  });
}

const discoveries = new Map<string, { at: number; configuration: Promise<oidc.Configuration> }>();

function configurationOf(deps: SsoDeps, connection: repo.SsoConnectionRow): Promise<oidc.Configuration> {
  const key = `${connection.company_id}|${connection.issuer}|${connection.client_id}|${connection.updated_at.getTime()}`;
  const cached = discoveries.get(key);
  if (cached && Date.now() - cached.at < discoveryTtlMs) return cached.configuration;
  const secret = decryptField(deps.encryptionKeys, connection.client_secret_ciphertext ?? '', secretContext(connection.company_id));
  const insecure = deps.allowHttpIssuers && connection.issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [];
  const configuration = oidc.discovery(new URL(connection.issuer), connection.client_id, secret, undefined, { execute: insecure, [oidc.customFetch]: boundedFetch }).then((found) => {
    // Every later request of this configuration (token, keys) is bounded the same way.
    found[oidc.customFetch] = boundedFetch;
    return found;
  });
  if (discoveries.size >= discoveryCacheMax) discoveries.clear();
  discoveries.set(key, { at: Date.now(), configuration });
  configuration.catch(() => discoveries.delete(key));
  return configuration;
}

/** A provider's answers (metadata, keys, tokens) are small: one past this is refused. */
export const providerAnswerBytesMax = 1024 * 1024;
/** A provider that has not answered within this is taken for unreachable. */
const providerAnswerTimeoutMs = 10_000;

/** fetch for the provider, bounded in time and in the bytes it reads: a company names its
 * provider, so a hostile or broken one must not hold a request or fill memory. */
async function boundedFetch(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(providerAnswerTimeoutMs) });
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > providerAnswerBytesMax) throw new Error(`the identity provider answered more than ${providerAnswerBytesMax} bytes`);
    chunks.push(chunk);
  }
  const bodyless = [101, 204, 205, 304].includes(response.status);
  return new Response(bodyless ? null : Buffer.concat(chunks), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** What the browser keeps (sealed in a cookie) between leaving for the provider and coming back. */
export type PendingSignIn =
  | { protocol?: 'oidc'; companyId: string; state: string; nonce: string; verifier: string; startedAt: number }
  /** SAML: the AuthnRequest's ID, which the response must be InResponseTo, and the RelayState sent along. */
  | { protocol: 'saml'; companyId: string; requestId: string; relayState: string; startedAt: number };

/** Where a person with this e-mail signs in, and what to remember until they are back. */
export async function startSignIn(deps: SsoDeps, email: string, now: Date): Promise<{ url: string; pending: PendingSignIn }> {
  const address = email.trim().toLowerCase();
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const connection = address.includes('@') ? await repo.findConnectionForDomain(deps.db, domain) : undefined;
  if (!connection) throw new DomainError('sso_not_configured', 'single sign-on is not set up for this address; sign in with your password');
  if (connection.protocol === 'saml') {
    const request = await samlAuthnRequest(samlPartiesOf(deps, connection), now.getTime(), ssoAttemptTtlMs);
    return { url: request.url, pending: { protocol: 'saml', companyId: connection.company_id, requestId: request.requestId, relayState: request.relayState, startedAt: now.getTime() } };
  }
  const configuration = await configurationOf(deps, connection).catch(() => {
    throw new DomainError('sso_provider_unavailable', 'the company\'s identity provider could not be reached; try again shortly');
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const pending = { companyId: connection.company_id, state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, startedAt: now.getTime() };
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: deps.callbackUrl,
    scope: connection.role_claim ? 'openid email profile groups' : 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    login_hint: address,
  });
  return { url: url.href, pending };
}

async function connectionOfPending(deps: SsoDeps, pending: PendingSignIn, protocol: 'oidc' | 'saml', now: Date): Promise<repo.SsoConnectionRow> {
  if (now.getTime() - pending.startedAt > ssoAttemptTtlMs) throw new DomainError('sso_failed', 'the sign-in took too long; start again');
  const connection = await repo.findConnection(deps.db, pending.companyId);
  if (!connection?.enabled) throw new DomainError('sso_not_configured', 'single sign-on is not set up for this company any more');
  if (connection.protocol !== protocol || (pending.protocol ?? 'oidc') !== protocol) throw new DomainError('sso_failed', 'the company changed its identity provider; start again');
  return connection;
}

/** Finishes an OpenID Connect sign-in from the provider's answer: the person it admits, or a refusal. */
export async function finishSignIn(deps: SsoDeps, pending: PendingSignIn, callbackUrl: URL, now: Date): Promise<people.UserRow> {
  const connection = await connectionOfPending(deps, pending, 'oidc', now);
  if (pending.protocol === 'saml') throw new DomainError('sso_failed', 'the sign-in was started for SAML; start again');
  const configuration = await configurationOf(deps, connection);
  let claims: SsoClaims;
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    claims = (tokens.claims() ?? {}) as SsoClaims;
  } catch {
    throw new DomainError('sso_failed', 'the identity provider\'s answer could not be checked; start again');
  }
  return admit(deps, connection, claims, now);
}

/** Finishes a SAML sign-in from the POSTed response: the person it admits, or a refusal. */
export async function finishSamlSignIn(deps: SsoDeps, pending: PendingSignIn, posted: { samlResponse: string; relayState: string | undefined }, now: Date): Promise<people.UserRow> {
  const connection = await connectionOfPending(deps, pending, 'saml', now);
  if (pending.protocol !== 'saml') throw new DomainError('sso_failed', 'the sign-in was started for OpenID Connect; start again');
  // The RelayState binds the answer to this browser's start, as OpenID Connect's state does.
  if (posted.relayState !== pending.relayState) throw new DomainError('sso_failed', 'the answer belongs to another sign-in; start again');
  const assertion = await checkSamlResponse(samlPartiesOf(deps, connection), posted.samlResponse, pending.requestId, pending.startedAt, ssoAttemptTtlMs, now);
  if (!(await repo.useAssertion(deps.db, connection.company_id, assertion.id, assertion.expiresAt, now))) {
    throw new DomainError('sso_failed', 'this assertion was used already; start again');
  }
  return admit(deps, connection, assertion.claims, now);
}

/** Decides on the claims and signs in, joins or provisions the person, their roles mapped. */
async function admit(deps: SsoDeps, connection: repo.SsoConnectionRow, claims: SsoClaims, now: Date): Promise<people.UserRow> {
  const companyId = connection.company_id;
  const domains = (await repo.listDomains(deps.db, companyId)).filter((row) => row.verified_at !== null).map((row) => row.domain);
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  const existing = email ? await people.findPersonByEmail(deps.db, companyId, email) : undefined;
  const decision = decideSsoSignIn(
    { verifiedDomains: domains, provisionPeople: connection.provision_people, defaultRoles: connection.default_roles, roleClaim: connection.role_claim, roleMap: connection.role_map },
    claims,
    existing ? { id: existing.id, status: existing.status, roles: existing.roles } : null,
  );
  if (!decision.allowed) throw new DomainError('sso_refused', refusalWords[decision.reason]);
  let person = existing && decision.action === 'sign_in' ? existing : await people.admitBySingleSignOn(deps.db, companyId, { existingId: existing?.id ?? null, email: decision.email, name: decision.name, roles: decision.roles ?? ['employee'] }, now);
  if (decision.roles && decision.action !== 'provision' && !sameRoles(decision.roles, person.roles)) {
    // The company's own mapping decides, as the company set it: not bound by any person's roles.
    person = await people.updatePerson(deps.db, companyId, person.id, { roles: decision.roles }, { actorType: 'system', actorId: null }, 'system');
  }
  return person;
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

const refusalWords: Record<Exclude<ReturnType<typeof decideSsoSignIn>, { allowed: true }>['reason'], string> = {
  email_missing: 'the identity provider gave no e-mail address',
  email_unverified: 'the identity provider has not verified this e-mail address',
  domain_not_verified: 'this e-mail address is not of a domain the company has verified',
  person_deactivated: 'this person is deactivated',
  no_person: 'nobody with this e-mail address is in the company; ask an admin to invite you',
  no_role: 'the identity provider gives this person no role in Outlay',
};
