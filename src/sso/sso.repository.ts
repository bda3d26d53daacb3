// SQL of single sign-on: a company's identity provider (OpenID Connect or SAML), its e-mail
// domains, and the SAML assertions already used.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Role, SsoConnectionsTable, SsoDomainsTable } from '../db/schema.js';

export type SsoConnectionRow = Selectable<SsoConnectionsTable>;
export type SsoDomainRow = Selectable<SsoDomainsTable>;

export async function findConnection(db: Db, companyId: string): Promise<SsoConnectionRow | undefined> {
  return db.selectFrom('sso_connections').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}

export interface ConnectionValues {
  protocol: 'oidc' | 'saml';
  issuer: string;
  clientId: string;
  clientSecretCiphertext: string | null;
  samlSsoUrl: string | null;
  samlCertificates: string[] | null;
  samlEmailAttribute: string | null;
  samlNameAttribute: string | null;
  provisionPeople: boolean;
  defaultRoles: Role[];
  roleClaim: string | null;
  roleMap: Record<string, string>;
  enabled: boolean;
}

export async function upsertConnection(db: Db, companyId: string, values: ConnectionValues, now: Date): Promise<SsoConnectionRow> {
  const row = {
    protocol: values.protocol,
    issuer: values.issuer,
    client_id: values.clientId,
    client_secret_ciphertext: values.clientSecretCiphertext,
    saml_sso_url: values.samlSsoUrl,
    saml_certificates: values.samlCertificates,
    saml_email_attribute: values.samlEmailAttribute,
    saml_name_attribute: values.samlNameAttribute,
    provision_people: values.provisionPeople,
    default_roles: values.defaultRoles,
    role_claim: values.roleClaim,
    role_map: JSON.stringify(values.roleMap),
    enabled: values.enabled,
    updated_at: now,
  };
  return db
    .insertInto('sso_connections')
    .values({ company_id: companyId, ...row })
    .onConflict((oc) => oc.column('company_id').doUpdateSet(row))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteConnection(db: Db, companyId: string): Promise<SsoConnectionRow | undefined> {
  return db.deleteFrom('sso_connections').where('company_id', '=', companyId).returningAll().executeTakeFirst();
}

export async function listDomains(db: Db, companyId: string): Promise<SsoDomainRow[]> {
  return db.selectFrom('sso_domains').selectAll().where('company_id', '=', companyId).orderBy('domain').execute();
}

export async function insertDomain(db: Db, companyId: string, domain: string, token: string): Promise<SsoDomainRow | undefined> {
  return db
    .insertInto('sso_domains')
    .values({ company_id: companyId, domain, verification_token: token })
    .onConflict((oc) => oc.columns(['company_id', 'domain']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findDomain(db: Db, companyId: string, domain: string): Promise<SsoDomainRow | undefined> {
  return db.selectFrom('sso_domains').selectAll().where('company_id', '=', companyId).where('domain', '=', domain).executeTakeFirst();
}

/** Marks the domain verified; undefined when another company has it verified already. */
export async function markVerified(db: Db, companyId: string, domain: string, now: Date): Promise<SsoDomainRow | undefined> {
  const result = await sql<SsoDomainRow>`
    update sso_domains set verified_at = ${now}
     where company_id = ${companyId} and domain = ${domain}
       and not exists (select 1 from sso_domains other where other.domain = ${domain} and other.company_id <> ${companyId} and other.verified_at is not null)
    returning *`.execute(db);
  return result.rows[0];
}

export async function deleteDomain(db: Db, companyId: string, domain: string): Promise<boolean> {
  const result = await db.deleteFrom('sso_domains').where('company_id', '=', companyId).where('domain', '=', domain).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The company whose verified domain this is, and its enabled connection. */
export async function findConnectionForDomain(db: Db, domain: string): Promise<SsoConnectionRow | undefined> {
  return db
    .selectFrom('sso_domains as d')
    .innerJoin('sso_connections as c', 'c.company_id', 'd.company_id')
    .selectAll('c')
    .where('d.domain', '=', domain)
    .where('d.verified_at', 'is not', null)
    .where('c.enabled', '=', true)
    .executeTakeFirst();
}

/** Records a SAML assertion as used; false when it was used before (a replay). Forgets the
 * expired ones first: an expired assertion is refused by its own conditions. */
export async function useAssertion(db: Db, companyId: string, assertionId: string, expiresAt: Date, now: Date): Promise<boolean> {
  await db.deleteFrom('sso_saml_assertions').where('expires_at', '<', now).execute();
  const inserted = await db
    .insertInto('sso_saml_assertions')
    .values({ company_id: companyId, assertion_id: assertionId, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['company_id', 'assertion_id']).doNothing())
    .returning('assertion_id')
    .executeTakeFirst();
  return inserted !== undefined;
}
