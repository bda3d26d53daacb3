// The one place that reads the environment. Everything else receives a Config.
import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { isValidBIC, isValidIBAN } from 'ibantools';
import { isCurrency } from '../money/money.js';
import { parsePostgresUrl, type PostgresUrl } from './postgres-url.js';
import type { FieldKeyRing } from '../shared/field-encryption.js';
import type { StorageConfig } from '../storage/storage-config.js';

export type DatabaseConfig =
  // dataDir null: in memory (tests); startFrom: a copy (PGlite's dump) of another database to
  // begin with, which spares the tests a fresh database and its migrations each time.
  | { kind: 'pglite'; dataDir: string | null; startFrom?: Blob }
  | { kind: 'postgres'; url: string; poolSize: number };

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  database: DatabaseConfig;
  demo: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  production: boolean;
  /** 32 bytes: keys session tokens, CSRF tokens and other HMACs. */
  sessionKey: Buffer;
  /** 32 bytes: AES-256-GCM key for fields encrypted at rest; new values are written under it. */
  encryptionKey: Buffer;
  /** Keys rotated out that still decrypt what was written under them, until `outlay keys
   * rotate` has rewritten it under encryptionKey. */
  previousEncryptionKeys: readonly Buffer[];
  /** Shared with the card processor: HMAC key of its signed requests. */
  processorSecret: Buffer;
  /** During a rotation, the secret being replaced: accepted beside processorSecret until unset. */
  processorSecretPrevious: Buffer | null;
  /** How far a processor request's timestamp may be from our clock. */
  processorToleranceSeconds: number;
  /** Whether admins may play card purchases from the web app (demos, tests). */
  simulatorEnabled: boolean;
  cookieSecure: boolean;
  /** scrypt's cost for new password hashes (tests pass a lower one to stay fast). */
  passwordCost: PasswordCost;
  sessionTtlHours: number;
  inviteTtlHours: number;
  bodyBytesMax: number;
  receipts: ReceiptsConfig;
  /** Inbound e-mail for receipts; null: no SMTP listener in this process. */
  smtp: SmtpConfig | null;
  /** Outgoing e-mail. */
  mail: OutgoingMailConfig;
  /** DNS servers asked for e-mail domain verification records; null: the system's. */
  dnsServers: string[] | null;
  /** Our SAML key and certificate (PEM): AuthnRequests are signed with it; unset: not signed. */
  samlSigning?: { privateKey: string; certificate: string } | null;
  /** The ISO 8583 card authorization gateway; null: none in this process. */
  /** allowedPeers: the addresses that may connect (left out or null: any). */
  iso8583: { host: string; port: number; allowedPeers?: readonly string[] | null } | null;
  banking: BankingConfig;
  /** Where files (receipts, exports, statement files) are kept. */
  storage: StorageConfig;
  /** Which proxies in front of Outlay are believed about the client's address (X-Forwarded-For):
   * false (none), a number of hops, or a list of addresses and CIDR ranges. */
  trustProxy: false | number | string[];
  limits: LimitsConfig;
  /** How often the minute sweeps (hold expiry, receipts, low balances, the expense sync's
   * safety net) run, once across all processes. */
  sweepIntervalMs: number;
  /** How long a webhook delivery that ended (delivered or failed) stays in the log before the
   * hourly purge deletes it with its attempts. */
  webhookDeliveryRetentionDays: number;
  observability: ObservabilityConfig;
}

/** scrypt's parameters (RFC 7914): CPU and memory cost N, block size r, parallelism p. */
export interface PasswordCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's Password Storage Cheat Sheet: scrypt with N = 2^17, r = 8, p = 1 (128 MiB, about
 * 300 ms here). */
export const passwordCostOwasp: PasswordCost = { N: 2 ** 17, r: 8, p: 1 };

/** Bounds on how long work may take, so one stuck piece cannot hold the rest. */
export interface LimitsConfig {
  /** PostgreSQL cancels a statement running longer than this. */
  statementTimeoutMs: number;
  /** A statement waiting longer than this for a row or table lock gives up. */
  lockTimeoutMs: number;
  /** A session left inside an open transaction this long is ended by PostgreSQL. */
  idleInTransactionTimeoutMs: number;
  /** The card processor's HTTP authorization is answered within this, by the stand-in if need be. */
  processorDeadlineMs: number;
  /** On SIGTERM, what has not stopped within this is abandoned and the process exits. */
  shutdownTimeoutMs: number;
}

export interface ObservabilityConfig {
  /** Where spans are sent over OTLP/HTTP (the full /v1/traces URL); null: tracing is off. */
  otlpTracesUrl: string | null;
  /** service.name of the spans. */
  serviceName: string;
  /** Bearer token /metrics asks for on the public port; null: none asked. */
  metricsToken: string | null;
  /** A listener of its own for /metrics (then the only route there, and gone from the public port); null: none. */
  metricsListener: { host: string; port: number } | null;
}

export interface BankingConfig {
  /** The platform's account that companies send their top-ups to. */
  topUpAccount: { iban: string; bic: string | null; name: string; currency: string };
  /** A folder watched for statement files to import; null: none. */
  inboxDir: string | null;
}

export interface ReceiptsConfig {
  /** Largest receipt file accepted, by upload or e-mail. */
  fileBytesMax: number;
  /** Receipts read (OCR) at once by this process; 0 leaves reading to other processes. */
  readers: number;
  /** OCR workers this process keeps for them; one receipt's page parts are read on them side
   * by side. null: the reader's own default (one per core, as many as a page has parts). */
  ocrWorkers: number | null;
  /** Past this a receipt's reading is abandoned and it is marked unreadable. */
  readTimeoutSeconds: number;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** The domain of the personal forwarding addresses, receipts+<token>@<domain>. */
  domain: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const keyBytes = 32;
/** The most OCR workers a process may be given: each holds its own recognition model. */
const ocrWorkersMax = 8;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readOptionalInteger(env: Env, name: string, min: number, max: number): number | null {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : readInteger(env, name, min, min, max);
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be 1 or 0 (true or false), got "${raw}"`);
}

function readKey(env: Env, name: string): Buffer | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const key = Buffer.from(raw, 'base64');
  if (key.length !== keyBytes || key.toString('base64').replace(/=+$/, '') !== raw.replace(/=+$/, '')) {
    throw new ConfigError(name, `must be ${keyBytes} bytes in base64 (generate one with: openssl rand -base64 32)`);
  }
  return key;
}

/** OUTLAY_ENCRYPTION_KEYS_PREVIOUS: keys rotated out, comma-separated, each base64 like the
 * current one. */
function readPreviousEncryptionKeys(env: Env, current: Buffer): Buffer[] {
  const name = 'OUTLAY_ENCRYPTION_KEYS_PREVIOUS';
  const raw = (env[name] ?? '').trim();
  if (raw === '') return [];
  const keys = raw.split(',').map((part, index) => {
    const key = readKey({ [name]: part.trim() }, name);
    if (!key) throw new ConfigError(name, `has an empty key at place ${index + 1}`);
    return key;
  });
  if (keys.some((key) => key.equals(current))) throw new ConfigError(name, 'holds the current OUTLAY_ENCRYPTION_KEY; list only keys rotated out');
  return keys;
}

/** The keys of encrypted fields as the services take them: the current one and those rotated out. */
export function fieldKeysOf(config: Pick<Config, 'encryptionKey' | 'previousEncryptionKeys'>): FieldKeyRing {
  return { current: config.encryptionKey, previous: config.previousEncryptionKeys };
}

function readDatabaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL (postgres://user@host:port/database)');
  // Several hosts (a primary and its standbys) are allowed, as libpq reads them.
  let url: PostgresUrl;
  try {
    url = parsePostgresUrl(raw);
  } catch (error) {
    throw new ConfigError('DATABASE_URL', error instanceof Error ? error.message : String(error));
  }
  // Its startup options would silently replace the statement, lock and idle timeouts Outlay
  // sets on every connection (OUTLAY_DB_*_TIMEOUT_MS are the settings for them).
  if (url.parameters.has('options')) throw new ConfigError('DATABASE_URL', 'must not carry options=; set the timeouts with OUTLAY_DB_STATEMENT_TIMEOUT_MS, OUTLAY_DB_LOCK_TIMEOUT_MS and OUTLAY_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS');
  return raw;
}

interface StoredSecrets {
  sessionKey: string;
  encryptionKey: string;
  processorSecret: string;
}

/**
 * Outside production, missing keys are generated once and kept in the data directory, so
 * that sessions and encrypted fields survive a restart of a demo or development install.
 */
function loadOrCreateSecrets(dataDir: string): StoredSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const fresh = () => randomBytes(keyBytes).toString('base64');
  let stored: Partial<StoredSecrets> = {};
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
    if (typeof stored.sessionKey !== 'string' || typeof stored.encryptionKey !== 'string') {
      throw new ConfigError('OUTLAY_DATA_DIR', `${file} is damaged: remove it to generate new keys`);
    }
  }
  const secrets: StoredSecrets = {
    sessionKey: stored.sessionKey ?? fresh(),
    encryptionKey: stored.encryptionKey ?? fresh(),
    // Added after the first two: older files gain it on the next start.
    processorSecret: stored.processorSecret ?? fresh(),
  };
  if (secrets.processorSecret !== stored.processorSecret) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  }
  return secrets;
}

function readIban(env: Env, name: string, fallback: string): string {
  const value = (env[name] || fallback).replace(/\s+/g, '').toUpperCase();
  if (!isValidIBAN(value)) throw new ConfigError(name, `"${env[name] ?? ''}" is not a valid IBAN`);
  return value;
}

function readBic(env: Env, name: string): string {
  const value = (env[name] ?? '').replace(/\s+/g, '').toUpperCase();
  if (!isValidBIC(value)) throw new ConfigError(name, `"${env[name] ?? ''}" is not a valid BIC`);
  return value;
}

function readCurrencyCode(env: Env, name: string, fallback: string): string {
  const value = (env[name] || fallback).toUpperCase();
  if (!isCurrency(value)) throw new ConfigError(name, `"${value}" is not an ISO 4217 currency`);
  return value;
}

const domainPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export interface OutgoingMailConfig {
  /** smtp:// or smtps:// with the server's user and password; null: messages stay in the
   * outbox (the web app shows it in development). */
  smtpUrl: string | null;
  /** The From address, e.g. "Outlay <outlay@example.com>". */
  from: string;
}

/** OUTLAY_MAIL_SMTP_URL and OUTLAY_MAIL_FROM. The URL carries a password: never logged. */
function readOutgoingMail(env: Env, mailDomain: string): OutgoingMailConfig {
  const raw = env.OUTLAY_MAIL_SMTP_URL || null;
  if (raw !== null) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError('OUTLAY_MAIL_SMTP_URL', 'is not a URL (smtp://user:password@host:587 or smtps://…)');
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('OUTLAY_MAIL_SMTP_URL', `must start with smtp:// or smtps://, got ${url.protocol}//`);
    if (url.hostname === '') throw new ConfigError('OUTLAY_MAIL_SMTP_URL', 'must name a host');
  }
  const from = env.OUTLAY_MAIL_FROM || `Outlay <outlay@${mailDomain}>`;
  // One address, optionally with a display name; no line breaks that could add headers.
  if (!/^[^\r\n<>]*<[^\s<>@]+@[^\s<>@]+>$|^[^\s<>@]+@[^\s<>@]+$/.test(from)) throw new ConfigError('OUTLAY_MAIL_FROM', `must be an address or "Name <address>", got "${from}"`);
  return { smtpUrl: raw, from };
}

/** OUTLAY_DNS_SERVERS: comma-separated addresses (with :port if not 53). */
function readDnsServers(env: Env): string[] | null {
  const raw = (env.OUTLAY_DNS_SERVERS ?? '').trim();
  if (raw === '') return null;
  const servers = raw.split(',').map((part) => part.trim());
  for (const server of servers) {
    if (!/^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-f:]+\](:\d{1,5})?|[0-9a-f:]+)$/i.test(server)) throw new ConfigError('OUTLAY_DNS_SERVERS', `is a comma-separated list of IP addresses, got "${server}"`);
  }
  return servers;
}

/** OUTLAY_SAML_SP_KEY_FILE and OUTLAY_SAML_SP_CERT_FILE: both or neither, the key the certificate's. */
function readSamlSigning(env: Env): { privateKey: string; certificate: string } | null {
  const keyFile = env.OUTLAY_SAML_SP_KEY_FILE;
  const certFile = env.OUTLAY_SAML_SP_CERT_FILE;
  if (!keyFile && !certFile) return null;
  if (!keyFile || !certFile) throw new ConfigError(keyFile ? 'OUTLAY_SAML_SP_CERT_FILE' : 'OUTLAY_SAML_SP_KEY_FILE', 'must be set with its pair (the SAML key and its certificate)');
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  try {
    certificate = new X509Certificate(readFileSync(certFile));
  } catch {
    throw new ConfigError('OUTLAY_SAML_SP_CERT_FILE', `must name a readable X.509 certificate in PEM, got "${certFile}"`);
  }
  try {
    privateKey = createPrivateKey(readFileSync(keyFile));
  } catch {
    throw new ConfigError('OUTLAY_SAML_SP_KEY_FILE', `must name a readable private key in PEM, got "${keyFile}"`);
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new ConfigError('OUTLAY_SAML_SP_KEY_FILE', 'is not the key of the certificate in OUTLAY_SAML_SP_CERT_FILE');
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificate: certificate.toString() };
}

function readMailDomain(env: Env, publicHost: string): string {
  const given = env.OUTLAY_MAIL_DOMAIN;
  // Without a setting, the public URL's host names the addresses (an IPv6 literal cannot).
  if (!given) return domainPattern.test(publicHost.toLowerCase()) ? publicHost.toLowerCase() : 'localhost';
  const domain = given.toLowerCase();
  if (!domainPattern.test(domain)) throw new ConfigError('OUTLAY_MAIL_DOMAIN', `is not a domain name, got "${domain}"`);
  return domain;
}

function readLogLevel(env: Env): Config['logLevel'] {
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  }
  return logLevel;
}

function readPublicUrl(env: Env, port: number): { publicUrl: string; publicHost: string; cookieSecure: boolean } {
  const publicUrl = (env.OUTLAY_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    throw new ConfigError('OUTLAY_PUBLIC_URL', `is not a URL, got "${publicUrl}"`);
  }
  const publicHost = parsed.hostname;
  // Browsers accept Secure cookies on https (however the scheme is spelt) and on localhost,
  // which they treat as secure.
  const cookieSecure = parsed.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(publicHost);
  return { publicUrl, publicHost, cookieSecure };
}

/** The three keys from the environment; outside production, missing ones are made once and
 * kept in the data directory. */
function readKeys(env: Env, dataDir: string, production: boolean): Pick<Config, 'sessionKey' | 'encryptionKey' | 'processorSecret'> {
  let sessionKey = readKey(env, 'OUTLAY_SESSION_KEY');
  let encryptionKey = readKey(env, 'OUTLAY_ENCRYPTION_KEY');
  let processorSecret = readKey(env, 'OUTLAY_PROCESSOR_SECRET');
  if (!sessionKey || !encryptionKey || !processorSecret) {
    if (production) {
      const missing = !sessionKey ? 'OUTLAY_SESSION_KEY' : !encryptionKey ? 'OUTLAY_ENCRYPTION_KEY' : 'OUTLAY_PROCESSOR_SECRET';
      throw new ConfigError(missing, 'must be set when NODE_ENV=production');
    }
    const stored = loadOrCreateSecrets(dataDir);
    sessionKey ??= Buffer.from(stored.sessionKey, 'base64');
    encryptionKey ??= Buffer.from(stored.encryptionKey, 'base64');
    processorSecret ??= Buffer.from(stored.processorSecret, 'base64');
  }
  return { sessionKey, encryptionKey, processorSecret };
}

function readReceipts(env: Env): ReceiptsConfig {
  return {
    fileBytesMax: readInteger(env, 'OUTLAY_RECEIPT_BYTES_MAX', 10 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    readers: readInteger(env, 'OUTLAY_RECEIPT_READERS', 1, 0, 8),
    ocrWorkers: readOptionalInteger(env, 'OUTLAY_OCR_WORKERS', 1, ocrWorkersMax),
    readTimeoutSeconds: readInteger(env, 'OUTLAY_RECEIPT_READ_TIMEOUT_SECONDS', 60, 5, 600),
  };
}

function readIso8583(env: Env, production: boolean): Config['iso8583'] {
  // In production a listener runs only when asked for.
  if (!readBoolean(env, 'OUTLAY_ISO8583', !production)) return null;
  // The gateway does not authenticate its peer: it listens on this machine only unless told
  // otherwise, and takes connections only from the addresses listed when a list is given.
  return { host: env.OUTLAY_ISO8583_HOST || '127.0.0.1', port: readInteger(env, 'OUTLAY_ISO8583_PORT', 8583, 0, 65535), allowedPeers: readAllowedPeers(env) };
}

/** The processor's addresses, at most this many: a handful of hosts, not a network's worth. */
const allowedPeersMax = 64;

function readAllowedPeers(env: Env): string[] | null {
  const raw = env.OUTLAY_ISO8583_ALLOWED_PEERS ?? '';
  if (raw.trim() === '') return null;
  const peers = raw.split(',').map((peer) => peer.trim()).filter((peer) => peer !== '');
  const wrong = peers.find((peer) => isIP(peer) === 0);
  if (wrong !== undefined) throw new ConfigError('OUTLAY_ISO8583_ALLOWED_PEERS', `must be IP addresses separated by commas, got "${wrong}"`);
  if (peers.length > allowedPeersMax) throw new ConfigError('OUTLAY_ISO8583_ALLOWED_PEERS', `lists at most ${allowedPeersMax} addresses`);
  return peers;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

function readBanking(env: Env, cwd: string): Config['banking'] {
  return {
    topUpAccount: {
      iban: readIban(env, 'OUTLAY_TOPUP_IBAN', demoTopUpIban),
      bic: env.OUTLAY_TOPUP_BIC ? readBic(env, 'OUTLAY_TOPUP_BIC') : null,
      name: env.OUTLAY_TOPUP_ACCOUNT_NAME || 'Outlay client funds',
      currency: readCurrencyCode(env, 'OUTLAY_TOPUP_CURRENCY', 'EUR'),
    },
    inboxDir: env.OUTLAY_BANK_INBOX ? path.resolve(cwd, env.OUTLAY_BANK_INBOX) : null,
  };
}

function readSmtp(env: Env, host: string, publicHost: string, production: boolean): Config['smtp'] {
  if (!readBoolean(env, 'OUTLAY_SMTP', !production)) return null;
  // In production the mail listener binds this machine only unless its own host is given:
  // HOST=0.0.0.0 for the web server is no request to take mail from everywhere.
  const smtpHost = env.OUTLAY_SMTP_HOST || (production ? '127.0.0.1' : host);
  return { host: smtpHost, port: readInteger(env, 'OUTLAY_SMTP_PORT', 2525, 0, 65535), domain: readMailDomain(env, publicHost) };
}

const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/([12]?\d|3[0-2]))?$/;
const ipv6Pattern = /^[0-9a-f:.]*:[0-9a-f:.]*(\/(12[0-8]|1[01]\d|\d?\d))?$/i;

/** OUTLAY_TRUST_PROXY: unset or 0 trusts no proxy; a number trusts that many hops; otherwise a
 * comma-separated list of the proxies' addresses or CIDR ranges. "Trust everyone" is not
 * offered: any client could then claim any address. */
function readTrustProxy(env: Env): Config['trustProxy'] {
  const raw = (env.OUTLAY_TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === '0') return false;
  if (/^\d+$/.test(raw)) return readInteger(env, 'OUTLAY_TRUST_PROXY', 0, 1, 10);
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    if (!ipv4Pattern.test(entry) && !ipv6Pattern.test(entry)) {
      throw new ConfigError('OUTLAY_TRUST_PROXY', `must be a number of proxy hops or a comma-separated list of addresses or CIDR ranges, got "${entry}"`);
    }
  }
  return entries;
}

/** The limits when nothing is set (tests start from these). */
export const defaultLimits = (): LimitsConfig => readLimits({});

function readLimits(env: Env): LimitsConfig {
  return {
    statementTimeoutMs: readInteger(env, 'OUTLAY_DB_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    lockTimeoutMs: readInteger(env, 'OUTLAY_DB_LOCK_TIMEOUT_MS', 5_000, 100, 600_000),
    idleInTransactionTimeoutMs: readInteger(env, 'OUTLAY_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000, 1_000, 3_600_000),
    processorDeadlineMs: readInteger(env, 'OUTLAY_PROCESSOR_DEADLINE_MS', 5_000, 100, 30_000),
    shutdownTimeoutMs: readInteger(env, 'OUTLAY_SHUTDOWN_TIMEOUT_SECONDS', 25, 1, 600) * 1000,
  };
}

/** OUTLAY_BLOB_STORE's value for files on this machine's disk (one process only). */
const localStoreKind = 'local';

/** The demo's top-up account: published in the README, so no customer may be sent to it. */
const demoTopUpIban = 'DK3852950001234567';

/** One unsafe setting of production mode. */
export interface UnsafeSetting {
  variable: string;
  problem: string;
}

/** Production mode stops on every unsafe setting at once, each named, so an operator fixes
 * them in one round instead of one restart each. */
export class UnsafeProductionConfigError extends ConfigError {
  constructor(readonly unsafe: readonly UnsafeSetting[]) {
    super(unsafe[0]!.variable, 'is unsafe in production');
    // Every setting is named in the list, so the message does not start with the first one.
    this.message = `NODE_ENV=production refuses ${unsafe.length === 1 ? 'an unsafe setting' : `${unsafe.length} unsafe settings`}:\n${unsafe.map(({ variable, problem }) => `  ${variable}: ${problem}`).join('\n')}`;
    this.name = 'UnsafeProductionConfigError';
  }
}

/** What production mode will not run with. Values are checked for their form later, by the
 * readers every mode shares. */
function unsafeProductionSettings(env: Env): UnsafeSetting[] {
  const unsafe: UnsafeSetting[] = [];
  const refuse = (variable: string, problem: string) => unsafe.push({ variable, problem });
  if (!env.DATABASE_URL) refuse('DATABASE_URL', 'must name a PostgreSQL server: the embedded database (PGlite) does not flush to disk on every commit and serves one process only');
  // Read as everywhere else; a value that is no yes or no is refused by that reader.
  if (readsAsYes(env, 'OUTLAY_DEMO')) {
    refuse('OUTLAY_DEMO', 'demo data (a company and a platform operator with a published password) is never created in production; unset it or set 0');
  }
  for (const variable of ['OUTLAY_SESSION_KEY', 'OUTLAY_ENCRYPTION_KEY', 'OUTLAY_PROCESSOR_SECRET']) {
    if (!env[variable]) refuse(variable, 'must be set (32 bytes in base64: openssl rand -base64 32); keys are never generated in production');
  }
  const iban = (env.OUTLAY_TOPUP_IBAN ?? '').replace(/\s+/g, '').toUpperCase();
  if (!iban) refuse('OUTLAY_TOPUP_IBAN', 'must name the platform\'s real top-up account: without it customers would be shown the demo account');
  else if (iban === demoTopUpIban) refuse('OUTLAY_TOPUP_IBAN', 'is the demo\'s published top-up account; customers must not be sent to it');
  if (!env.HOST) refuse('HOST', 'must be set: 127.0.0.1 behind a proxy on the same machine, or 0.0.0.0 to listen on every interface (in a container)');
  if (!env.OUTLAY_METRICS_TOKEN && !env.OUTLAY_METRICS_PORT) {
    refuse('OUTLAY_METRICS_PORT', '/metrics would be open to anyone on the public port: give it a listener of its own (OUTLAY_METRICS_PORT) or a bearer token (OUTLAY_METRICS_TOKEN)');
  }
  if (env.OUTLAY_BLOB_STORE === localStoreKind) {
    refuse('OUTLAY_BLOB_STORE', 'local keeps files on this machine\'s disk, where other processes cannot read them; use database (the default) or s3');
  }
  // A gateway reachable from other machines answers whoever connects; it must know its peers.
  if (readsAsYes(env, 'OUTLAY_ISO8583') && !loopbackHosts.has(env.OUTLAY_ISO8583_HOST || '127.0.0.1') && !(env.OUTLAY_ISO8583_ALLOWED_PEERS ?? '').trim()) {
    refuse('OUTLAY_ISO8583_ALLOWED_PEERS', 'must list the card processor\'s addresses when the ISO 8583 gateway listens beyond this machine (OUTLAY_ISO8583_HOST): it authenticates no peer');
  }
  const publicUrl = env.OUTLAY_PUBLIC_URL ?? '';
  if (!publicUrl.startsWith('https://')) refuse('OUTLAY_PUBLIC_URL', 'must be the https:// address people use: session cookies are Secure only on https');
  return unsafe;
}

function readsAsYes(env: Env, name: string): boolean {
  try {
    return readBoolean(env, name, false);
  } catch {
    return false;
  }
}

function refuseUnsafeProduction(env: Env): void {
  const unsafe = unsafeProductionSettings(env);
  if (unsafe.length > 0) throw new UnsafeProductionConfigError(unsafe);
}

/** OUTLAY_BLOB_STORE: database (the default), s3 (with the OUTLAY_S3_ variables) or local
 * (the folder blobs of the data directory, as before there was a choice). */
function readStorage(env: Env, dataDir: string): StorageConfig {
  const kind = env.OUTLAY_BLOB_STORE || 'database';
  if (kind === 'database') return { kind };
  if (kind === localStoreKind) return { kind, root: path.join(dataDir, 'blobs') };
  if (kind !== 's3') throw new ConfigError('OUTLAY_BLOB_STORE', `must be database, s3 or local, got "${kind}"`);
  const bucket = env.OUTLAY_S3_BUCKET ?? '';
  if (bucket === '') throw new ConfigError('OUTLAY_S3_BUCKET', 'must be set when OUTLAY_BLOB_STORE=s3');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/.test(bucket)) throw new ConfigError('OUTLAY_S3_BUCKET', `is not a bucket name, got "${bucket}"`);
  const endpoint = env.OUTLAY_S3_ENDPOINT || null;
  if (endpoint !== null && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(endpoint)) {
    throw new ConfigError('OUTLAY_S3_ENDPOINT', `must be an http:// or https:// URL, got "${endpoint}"`);
  }
  const region = env.OUTLAY_S3_REGION || 'us-east-1';
  if (!/^[a-z0-9-]{1,64}$/.test(region)) throw new ConfigError('OUTLAY_S3_REGION', `is not a region name, got "${region}"`);
  // Given as "outlay", "outlay/" or "/outlay/": the keys go under outlay/ in each case.
  const prefix = (env.OUTLAY_S3_PREFIX ?? '').replace(/^\/+|\/+$/g, '') || null;
  if (prefix !== null && (prefix.length > 200 || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(prefix))) {
    throw new ConfigError('OUTLAY_S3_PREFIX', `must be at most 200 letters, digits, '.', '_', '-' and '/', no part starting with '.', got "${env.OUTLAY_S3_PREFIX ?? ''}"`);
  }
  const accessKeyId = env.OUTLAY_S3_ACCESS_KEY_ID || null;
  const secretAccessKey = env.OUTLAY_S3_SECRET_ACCESS_KEY || null;
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    const missing = accessKeyId === null ? 'OUTLAY_S3_ACCESS_KEY_ID' : 'OUTLAY_S3_SECRET_ACCESS_KEY';
    throw new ConfigError(missing, 'must be set with the other one, or leave both out to use the SDK\'s default credentials');
  }
  return {
    kind,
    bucket,
    endpoint,
    region,
    prefix,
    // Servers other than AWS rarely resolve bucket host names; AWS itself prefers them.
    forcePathStyle: readBoolean(env, 'OUTLAY_S3_FORCE_PATH_STYLE', endpoint !== null),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
  };
}

/** Traces (OTLP/HTTP, off unless an endpoint is given) and who may read /metrics. */
export function readObservability(env: Env): ObservabilityConfig {
  const [endpointVariable, endpoint] = env.OUTLAY_OTLP_ENDPOINT ? ['OUTLAY_OTLP_ENDPOINT', env.OUTLAY_OTLP_ENDPOINT] : ['OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT];
  let otlpTracesUrl: string | null = null;
  if (endpoint) {
    // Both name the collector's base URL; OTLP/HTTP takes traces at /v1/traces under it.
    if (!/^https?:\/\/[^/]/.test(endpoint)) throw new ConfigError(endpointVariable, `must be an http(s) URL, got "${endpoint}"`);
    otlpTracesUrl = `${endpoint.replace(/\/+$/, '')}/v1/traces`;
  }
  const metricsToken = env.OUTLAY_METRICS_TOKEN || null;
  // A bearer token is one run of visible characters: one with a space could never be sent.
  if (metricsToken !== null && !/^[\x21-\x7e]{16,}$/.test(metricsToken)) throw new ConfigError('OUTLAY_METRICS_TOKEN', 'must be at least 16 visible characters without spaces');
  const metricsPort = readOptionalInteger(env, 'OUTLAY_METRICS_PORT', 0, 65535);
  return {
    otlpTracesUrl,
    serviceName: env.OTEL_SERVICE_NAME || 'outlay',
    metricsToken,
    metricsListener: metricsPort === null ? null : { host: env.OUTLAY_METRICS_HOST || '127.0.0.1', port: metricsPort },
  };
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const port = readInteger(env, 'PORT', 3000, 0, 65535);
  const production = env.NODE_ENV === 'production';
  if (production) refuseUnsafeProduction(env);
  const host = env.HOST || '0.0.0.0';
  const dataDir = path.resolve(cwd, env.OUTLAY_DATA_DIR || 'data');
  const databaseUrl = readDatabaseUrl(env);
  const database: DatabaseConfig = databaseUrl
    ? { kind: 'postgres', url: databaseUrl, poolSize: readInteger(env, 'OUTLAY_DB_POOL_SIZE', 10, 2, 500) }
    : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') };
  const logLevel = readLogLevel(env);
  const { publicUrl, publicHost, cookieSecure } = readPublicUrl(env, port);
  const keys = readKeys(env, dataDir, production);
  return {
    host,
    port,
    publicUrl,
    dataDir,
    database,
    demo: readBoolean(env, 'OUTLAY_DEMO', !production),
    logLevel,
    production,
    ...keys,
    previousEncryptionKeys: readPreviousEncryptionKeys(env, keys.encryptionKey),
    processorSecretPrevious: readKey(env, 'OUTLAY_PROCESSOR_SECRET_PREVIOUS'),
    processorToleranceSeconds: readInteger(env, 'OUTLAY_PROCESSOR_TOLERANCE_SECONDS', 300, 1, 3600),
    simulatorEnabled: readBoolean(env, 'OUTLAY_SIMULATOR', !production),
    cookieSecure,
    passwordCost: passwordCostOwasp,
    sessionTtlHours: readInteger(env, 'OUTLAY_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    inviteTtlHours: readInteger(env, 'OUTLAY_INVITE_TTL_HOURS', 72, 1, 24 * 30),
    bodyBytesMax: readInteger(env, 'OUTLAY_BODY_BYTES_MAX', 1024 * 1024, 1024, 64 * 1024 * 1024),
    receipts: readReceipts(env),
    iso8583: readIso8583(env, production),
    banking: readBanking(env, cwd),
    smtp: readSmtp(env, host, publicHost, production),
    mail: readOutgoingMail(env, readMailDomain(env, publicHost)),
    dnsServers: readDnsServers(env),
    samlSigning: readSamlSigning(env),
    storage: readStorage(env, dataDir),
    trustProxy: readTrustProxy(env),
    limits: readLimits(env),
    sweepIntervalMs: readInteger(env, 'OUTLAY_SWEEP_INTERVAL_SECONDS', 60, 1, 3600) * 1000,
    webhookDeliveryRetentionDays: readInteger(env, 'OUTLAY_WEBHOOK_DELIVERY_RETENTION_DAYS', 30, 1, 3650),
    observability: readObservability(env),
  };
}
