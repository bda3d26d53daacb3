// The one place that reads the environment. Everything else receives a Config.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isValidBIC, isValidIBAN } from 'ibantools';
import { isCurrency } from '../money/money.js';

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | null } // null: in memory (tests)
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
  /** 32 bytes: AES-256-GCM key for fields encrypted at rest. */
  encryptionKey: Buffer;
  /** Shared with the card processor: HMAC key of its signed requests. */
  processorSecret: Buffer;
  /** How far a processor request's timestamp may be from our clock. */
  processorToleranceSeconds: number;
  /** Whether admins may play card purchases from the web app (demos, tests). */
  simulatorEnabled: boolean;
  cookieSecure: boolean;
  sessionTtlHours: number;
  inviteTtlHours: number;
  bodyBytesMax: number;
  receipts: ReceiptsConfig;
  /** Inbound e-mail for receipts; null: no SMTP listener in this process. */
  smtp: SmtpConfig | null;
  /** The ISO 8583 card authorization gateway; null: none in this process. */
  iso8583: { host: string; port: number } | null;
  banking: BankingConfig;
  observability: ObservabilityConfig;
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

function readDatabaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL (expected postgres://user@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres://, got ${url.protocol}//`);
  }
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
  let publicHost: string;
  try {
    publicHost = new URL(publicUrl).hostname;
  } catch {
    throw new ConfigError('OUTLAY_PUBLIC_URL', `is not a URL, got "${publicUrl}"`);
  }
  // Browsers accept Secure cookies on https and on localhost, which they treat as secure.
  const cookieSecure = publicUrl.startsWith('https:') || ['localhost', '127.0.0.1', '[::1]'].includes(publicHost);
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

function readIso8583(env: Env): Config['iso8583'] {
  if (!readBoolean(env, 'OUTLAY_ISO8583', true)) return null;
  // The gateway does not authenticate its peer: it listens on this machine only unless told otherwise.
  return { host: env.OUTLAY_ISO8583_HOST || '127.0.0.1', port: readInteger(env, 'OUTLAY_ISO8583_PORT', 8583, 0, 65535) };
}

function readBanking(env: Env, cwd: string): Config['banking'] {
  return {
    topUpAccount: {
      iban: readIban(env, 'OUTLAY_TOPUP_IBAN', 'DK3852950001234567'),
      bic: env.OUTLAY_TOPUP_BIC ? readBic(env, 'OUTLAY_TOPUP_BIC') : null,
      name: env.OUTLAY_TOPUP_ACCOUNT_NAME || 'Outlay client funds',
      currency: readCurrencyCode(env, 'OUTLAY_TOPUP_CURRENCY', 'EUR'),
    },
    inboxDir: env.OUTLAY_BANK_INBOX ? path.resolve(cwd, env.OUTLAY_BANK_INBOX) : null,
  };
}

function readSmtp(env: Env, host: string, publicHost: string): Config['smtp'] {
  if (!readBoolean(env, 'OUTLAY_SMTP', true)) return null;
  return { host: env.OUTLAY_SMTP_HOST || host, port: readInteger(env, 'OUTLAY_SMTP_PORT', 2525, 0, 65535), domain: readMailDomain(env, publicHost) };
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
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError('OUTLAY_METRICS_TOKEN', 'must be at least 16 characters');
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
  const host = env.HOST || '0.0.0.0';
  const dataDir = path.resolve(cwd, env.OUTLAY_DATA_DIR || 'data');
  const production = env.NODE_ENV === 'production';
  const databaseUrl = readDatabaseUrl(env);
  const database: DatabaseConfig = databaseUrl
    ? { kind: 'postgres', url: databaseUrl, poolSize: readInteger(env, 'OUTLAY_DB_POOL_SIZE', 10, 1, 500) }
    : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') };
  const logLevel = readLogLevel(env);
  const { publicUrl, publicHost, cookieSecure } = readPublicUrl(env, port);
  return {
    host,
    port,
    publicUrl,
    dataDir,
    database,
    demo: readBoolean(env, 'OUTLAY_DEMO', true),
    logLevel,
    production,
    ...readKeys(env, dataDir, production),
    processorToleranceSeconds: readInteger(env, 'OUTLAY_PROCESSOR_TOLERANCE_SECONDS', 300, 1, 3600),
    simulatorEnabled: readBoolean(env, 'OUTLAY_SIMULATOR', !production),
    cookieSecure,
    sessionTtlHours: readInteger(env, 'OUTLAY_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    inviteTtlHours: readInteger(env, 'OUTLAY_INVITE_TTL_HOURS', 72, 1, 24 * 30),
    bodyBytesMax: readInteger(env, 'OUTLAY_BODY_BYTES_MAX', 1024 * 1024, 1024, 64 * 1024 * 1024),
    receipts: readReceipts(env),
    iso8583: readIso8583(env),
    banking: readBanking(env, cwd),
    smtp: readSmtp(env, host, publicHost),
    observability: readObservability(env),
  };
}
