import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSigningKey } from '../test-support/saml-idp.js';
import { loadConfig, UnsafeProductionConfigError } from './config.js';

const key = Buffer.alloc(32, 7).toString('base64');
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'outlay-config-'));

describe('loadConfig', () => {
  it('defaults to port 3000 and the embedded database under ./data', () => {
    const cwd = tempDir();
    const config = loadConfig({}, cwd);
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.join(cwd, 'data', 'pglite') });
    expect(config.demo).toBe(true);
  });

  it('uses a PostgreSQL server when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/outlay', OUTLAY_SESSION_KEY: key, OUTLAY_ENCRYPTION_KEY: key }, tempDir());
    expect(config.database).toMatchObject({ kind: 'postgres', url: 'postgres://u@db:5432/outlay' });
  });

  it('takes a DATABASE_URL naming a primary and its standby, as libpq does', () => {
    const url = 'postgres://u@db1:5432,db2:5432/outlay?target_session_attrs=read-write';
    const config = loadConfig({ DATABASE_URL: url, OUTLAY_SESSION_KEY: key, OUTLAY_ENCRYPTION_KEY: key }, tempDir());
    expect(config.database).toMatchObject({ kind: 'postgres', url });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ OUTLAY_DEMO: 'maybe' }, 'OUTLAY_DEMO'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://u@db/outlay?options=-c%20statement_timeout%3D0' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://u@a:5432,b:5432/outlay?target_session_attrs=standby' }, 'DATABASE_URL'],
    [{ OUTLAY_METRICS_TOKEN: 'sixteen chars but spaced' }, 'OUTLAY_METRICS_TOKEN'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ OUTLAY_MAIL_SMTP_URL: 'https://mail.example.com' }, 'OUTLAY_MAIL_SMTP_URL'],
    [{ OUTLAY_MAIL_SMTP_URL: 'smtp relay' }, 'OUTLAY_MAIL_SMTP_URL'],
    [{ OUTLAY_MAIL_FROM: 'Outlay <outlay@example.com>\r\nBcc: all@example.com' }, 'OUTLAY_MAIL_FROM'],
    [{ OUTLAY_MAIL_FROM: 'not an address' }, 'OUTLAY_MAIL_FROM'],
    [{ OUTLAY_SESSION_KEY: 'c2hvcnQ=' }, 'OUTLAY_SESSION_KEY'],
    [{ OUTLAY_ENCRYPTION_KEYS_PREVIOUS: 'c2hvcnQ=' }, 'OUTLAY_ENCRYPTION_KEYS_PREVIOUS'],
    [{ OUTLAY_ENCRYPTION_KEYS_PREVIOUS: `${Buffer.alloc(32, 1).toString('base64')},,` }, 'OUTLAY_ENCRYPTION_KEYS_PREVIOUS'],
    [{ OUTLAY_PUBLIC_URL: 'not a url' }, 'OUTLAY_PUBLIC_URL'],
    [{ OUTLAY_RECEIPT_BYTES_MAX: '10' }, 'OUTLAY_RECEIPT_BYTES_MAX'],
    [{ OUTLAY_RECEIPT_READERS: '9' }, 'OUTLAY_RECEIPT_READERS'],
    [{ OUTLAY_OCR_WORKERS: '0' }, 'OUTLAY_OCR_WORKERS'],
    [{ OUTLAY_SMTP_PORT: '-1' }, 'OUTLAY_SMTP_PORT'],
    [{ OUTLAY_SMTP: 'sometimes' }, 'OUTLAY_SMTP'],
    [{ OUTLAY_MAIL_DOMAIN: 'not a domain' }, 'OUTLAY_MAIL_DOMAIN'],
  ])('stops on a wrong value and names it: %j', (env, variable) => {
    expect(() => loadConfig(env, tempDir())).toThrow(expect.objectContaining({ variable }));
  });

  it('requires both keys in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', OUTLAY_SESSION_KEY: key }, tempDir())).toThrow('OUTLAY_ENCRYPTION_KEY');
  });

  it('generates keys once outside production and keeps them in the data directory', () => {
    const cwd = tempDir();
    const first = loadConfig({}, cwd);
    const second = loadConfig({}, cwd);
    expect(first.sessionKey.equals(second.sessionKey)).toBe(true);
    expect(first.encryptionKey.equals(first.sessionKey)).toBe(false);
    const file = path.join(cwd, 'data', 'secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(first.sessionKey.toString('base64'));
  });

  it('receives receipts by e-mail on port 2525 for the public host unless told otherwise', () => {
    expect(loadConfig({}, tempDir()).smtp).toEqual({ host: '0.0.0.0', port: 2525, domain: 'localhost' });
    expect(loadConfig({ OUTLAY_PUBLIC_URL: 'https://spend.example.com', OUTLAY_SMTP_PORT: '25' }, tempDir()).smtp).toMatchObject({ port: 25, domain: 'spend.example.com' });
    expect(loadConfig({ OUTLAY_MAIL_DOMAIN: 'In.Example.COM' }, tempDir()).smtp?.domain).toBe('in.example.com');
    expect(loadConfig({ OUTLAY_SMTP: '0' }, tempDir()).smtp).toBeNull();
  });

  it('sends e-mail from the mail domain, through the SMTP server given or none', () => {
    expect(loadConfig({}, tempDir()).mail).toEqual({ smtpUrl: null, from: 'Outlay <outlay@localhost>' });
    expect(loadConfig({ OUTLAY_PUBLIC_URL: 'https://spend.example.com', OUTLAY_MAIL_SMTP_URL: 'smtps://outlay:secret@relay.example.com:465' }, tempDir()).mail).toEqual({
      smtpUrl: 'smtps://outlay:secret@relay.example.com:465',
      from: 'Outlay <outlay@spend.example.com>',
    });
    expect(loadConfig({ OUTLAY_MAIL_FROM: 'billing@example.com' }, tempDir()).mail.from).toBe('billing@example.com');
  });

  it('keeps files in the database unless told otherwise, or in the old folder of the data directory', () => {
    const cwd = tempDir();
    expect(loadConfig({}, cwd).storage).toEqual({ kind: 'database' });
    expect(loadConfig({ OUTLAY_BLOB_STORE: 'local', OUTLAY_DATA_DIR: 'var' }, cwd).storage).toEqual({ kind: 'local', root: path.join(cwd, 'var', 'blobs') });
  });

  it('keeps files in S3 on AWS by host name, and on another server by path', () => {
    expect(loadConfig({ OUTLAY_BLOB_STORE: 's3', OUTLAY_S3_BUCKET: 'outlay-files' }, tempDir()).storage).toEqual({
      kind: 's3', bucket: 'outlay-files', endpoint: null, region: 'us-east-1', prefix: null, forcePathStyle: false, credentials: null,
    });
    const minio = loadConfig({
      OUTLAY_BLOB_STORE: 's3',
      OUTLAY_S3_BUCKET: 'outlay',
      OUTLAY_S3_ENDPOINT: 'http://minio:9000',
      OUTLAY_S3_REGION: 'eu-north-1',
      OUTLAY_S3_PREFIX: '/prod/outlay/',
      OUTLAY_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      OUTLAY_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
    }, tempDir()).storage;
    expect(minio).toEqual({
      kind: 's3', bucket: 'outlay', endpoint: 'http://minio:9000', region: 'eu-north-1', prefix: 'prod/outlay', forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
    });
    const virtualHosted = loadConfig({ OUTLAY_BLOB_STORE: 's3', OUTLAY_S3_BUCKET: 'outlay', OUTLAY_S3_ENDPOINT: 'https://s3.example.net', OUTLAY_S3_FORCE_PATH_STYLE: '0' }, tempDir()).storage;
    expect(virtualHosted).toMatchObject({ endpoint: 'https://s3.example.net', forcePathStyle: false });
  });

  const s3 = { OUTLAY_BLOB_STORE: 's3', OUTLAY_S3_BUCKET: 'outlay' };
  it.each([
    [{ OUTLAY_BLOB_STORE: 'ftp' }, 'OUTLAY_BLOB_STORE'],
    [{ OUTLAY_BLOB_STORE: 's3' }, 'OUTLAY_S3_BUCKET'],
    [{ ...s3, OUTLAY_S3_BUCKET: 'a/b' }, 'OUTLAY_S3_BUCKET'],
    [{ ...s3, OUTLAY_S3_ENDPOINT: 'minio:9000' }, 'OUTLAY_S3_ENDPOINT'],
    [{ ...s3, OUTLAY_S3_REGION: 'EU North' }, 'OUTLAY_S3_REGION'],
    [{ ...s3, OUTLAY_S3_PREFIX: 'a/../b' }, 'OUTLAY_S3_PREFIX'],
    [{ ...s3, OUTLAY_S3_PREFIX: 'a b' }, 'OUTLAY_S3_PREFIX'],
    [{ ...s3, OUTLAY_S3_FORCE_PATH_STYLE: 'perhaps' }, 'OUTLAY_S3_FORCE_PATH_STYLE'],
    [{ ...s3, OUTLAY_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE' }, 'OUTLAY_S3_SECRET_ACCESS_KEY'],
    [{ ...s3, OUTLAY_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI' }, 'OUTLAY_S3_ACCESS_KEY_ID'],
  ])('stops on a wrong blob store setting and names it: %j', (env, variable) => {
    expect(() => loadConfig(env, tempDir())).toThrow(expect.objectContaining({ variable }));
  });

  it('marks cookies Secure on https and localhost only', () => {
    expect(loadConfig({ OUTLAY_PUBLIC_URL: 'https://spend.example.com' }, tempDir()).cookieSecure).toBe(true);
    expect(loadConfig({}, tempDir()).cookieSecure).toBe(true);
    expect(loadConfig({ OUTLAY_PUBLIC_URL: 'http://10.0.0.5:3000' }, tempDir()).cookieSecure).toBe(false);
  });

  it('reads the proxy setting as hops or addresses, and never as "trust everyone"', () => {
    expect(loadConfig({}, tempDir()).trustProxy).toBe(false);
    expect(loadConfig({ OUTLAY_TRUST_PROXY: '1' }, tempDir()).trustProxy).toBe(1);
    expect(loadConfig({ OUTLAY_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }, tempDir()).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(() => loadConfig({ OUTLAY_TRUST_PROXY: 'true' }, tempDir())).toThrow(expect.objectContaining({ variable: 'OUTLAY_TRUST_PROXY' }));
    expect(() => loadConfig({ OUTLAY_TRUST_PROXY: '10.0.0.300' }, tempDir())).toThrow(expect.objectContaining({ variable: 'OUTLAY_TRUST_PROXY' }));
  });

  it('bounds database statements, lock waits and shutdown, with settings for each', () => {
    expect(loadConfig({}, tempDir()).limits).toEqual({ statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, idleInTransactionTimeoutMs: 60_000, processorDeadlineMs: 5_000, shutdownTimeoutMs: 25_000 });
    expect(loadConfig({ OUTLAY_DB_STATEMENT_TIMEOUT_MS: '2000', OUTLAY_SHUTDOWN_TIMEOUT_SECONDS: '10' }, tempDir()).limits).toMatchObject({ statementTimeoutMs: 2000, shutdownTimeoutMs: 10_000 });
    expect(() => loadConfig({ OUTLAY_DB_LOCK_TIMEOUT_MS: '0' }, tempDir())).toThrow(expect.objectContaining({ variable: 'OUTLAY_DB_LOCK_TIMEOUT_MS' }));
  });
});

describe('production mode', () => {
  const safe = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://outlay@db.internal:5432/outlay',
    OUTLAY_SESSION_KEY: key,
    OUTLAY_ENCRYPTION_KEY: Buffer.alloc(32, 8).toString('base64'),
    OUTLAY_PROCESSOR_SECRET: Buffer.alloc(32, 9).toString('base64'),
    OUTLAY_TOPUP_IBAN: 'DE89 3704 0044 0532 0130 00',
    HOST: '0.0.0.0',
    OUTLAY_PUBLIC_URL: 'https://spend.example.com',
    OUTLAY_METRICS_PORT: '9464',
  };

  it('starts with safe settings: no demo, no simulator, no listeners beyond HTTP unless asked for', () => {
    const config = loadConfig(safe, tempDir());
    expect(loadConfig({ ...safe, OUTLAY_METRICS_PORT: undefined, OUTLAY_METRICS_TOKEN: 'a-long-enough-metrics-token' }, tempDir()).observability.metricsToken).toBe('a-long-enough-metrics-token');
    expect(config).toMatchObject({ production: true, demo: false, simulatorEnabled: false, smtp: null, iso8583: null, host: '0.0.0.0' });
    expect(config.banking.topUpAccount.iban).toBe('DE89370400440532013000');
  });

  it.each([
    ['the embedded database', { DATABASE_URL: undefined }, 'DATABASE_URL'],
    ['demo data', { OUTLAY_DEMO: '1' }, 'OUTLAY_DEMO'],
    ['demo data, said otherwise', { OUTLAY_DEMO: 'On' }, 'OUTLAY_DEMO'],
    ['a missing session key', { OUTLAY_SESSION_KEY: undefined }, 'OUTLAY_SESSION_KEY'],
    ['a missing encryption key', { OUTLAY_ENCRYPTION_KEY: '' }, 'OUTLAY_ENCRYPTION_KEY'],
    ['a missing processor secret', { OUTLAY_PROCESSOR_SECRET: undefined }, 'OUTLAY_PROCESSOR_SECRET'],
    ['no top-up account of its own', { OUTLAY_TOPUP_IBAN: undefined }, 'OUTLAY_TOPUP_IBAN'],
    ['the demo\'s top-up account', { OUTLAY_TOPUP_IBAN: 'dk38 5295 0001 2345 67' }, 'OUTLAY_TOPUP_IBAN'],
    ['a listener on every interface by default', { HOST: undefined }, 'HOST'],
    ['a public address without https', { OUTLAY_PUBLIC_URL: 'http://spend.example.com' }, 'OUTLAY_PUBLIC_URL'],
    ['files on one machine\'s disk', { OUTLAY_BLOB_STORE: 'local' }, 'OUTLAY_BLOB_STORE'],
    ['metrics open on the public port', { OUTLAY_METRICS_PORT: undefined }, 'OUTLAY_METRICS_PORT'],
  ])('refuses %s, naming the setting', (_what, change, variable) => {
    const env: Record<string, string | undefined> = { ...safe, ...change };
    const refusal = (() => {
      try {
        loadConfig(env, tempDir());
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(UnsafeProductionConfigError);
    expect((refusal as UnsafeProductionConfigError).unsafe.map((setting) => setting.variable)).toEqual([variable]);
    expect((refusal as Error).message).toContain(variable);
  });

  it('names every unsafe setting at once', () => {
    const refusal = (() => {
      try {
        loadConfig({ NODE_ENV: 'production' }, tempDir());
      } catch (error) {
        return error as UnsafeProductionConfigError;
      }
      return null;
    })();
    expect(refusal?.unsafe.map((setting) => setting.variable)).toEqual(['DATABASE_URL', 'OUTLAY_SESSION_KEY', 'OUTLAY_ENCRYPTION_KEY', 'OUTLAY_PROCESSOR_SECRET', 'OUTLAY_TOPUP_IBAN', 'HOST', 'OUTLAY_METRICS_PORT', 'OUTLAY_PUBLIC_URL']);
  });

  it('binds the mail listener to this machine only unless its own host is given', () => {
    expect(loadConfig({ ...safe, OUTLAY_SMTP: '1' }, tempDir()).smtp).toMatchObject({ host: '127.0.0.1' });
    expect(loadConfig({ ...safe, OUTLAY_SMTP: '1', OUTLAY_SMTP_HOST: '0.0.0.0' }, tempDir()).smtp).toMatchObject({ host: '0.0.0.0' });
    expect(loadConfig({ ...safe, OUTLAY_ISO8583: '1' }, tempDir()).iso8583).toMatchObject({ host: '127.0.0.1' });
  });

  it('refuses an ISO 8583 gateway listening beyond this machine without an allow-list of its peers', () => {
    const gatewayOut = { ...safe, OUTLAY_ISO8583: '1', OUTLAY_ISO8583_HOST: '0.0.0.0' };
    const refusal = (() => {
      try {
        loadConfig(gatewayOut, tempDir());
      } catch (error) {
        return error as UnsafeProductionConfigError;
      }
      return null;
    })();
    expect(refusal?.unsafe.map((setting) => setting.variable)).toEqual(['OUTLAY_ISO8583_ALLOWED_PEERS']);
    expect(loadConfig({ ...gatewayOut, OUTLAY_ISO8583_ALLOWED_PEERS: '10.1.2.3, 2001:db8::7' }, tempDir()).iso8583).toMatchObject({ host: '0.0.0.0', allowedPeers: ['10.1.2.3', '2001:db8::7'] });
  });

  it('reads the gateway\'s allow-list as IP addresses, and none as anyone outside production', () => {
    expect(loadConfig({}, tempDir()).iso8583).toMatchObject({ allowedPeers: null });
    expect(() => loadConfig({ OUTLAY_ISO8583_ALLOWED_PEERS: '10.0.0.1,processor.example' }, tempDir())).toThrow(/OUTLAY_ISO8583_ALLOWED_PEERS/);
  });

  it('accepts the previous processor secret during a rotation, and none otherwise', () => {
    const previous = Buffer.alloc(32, 5);
    expect(loadConfig({ ...safe, OUTLAY_PROCESSOR_SECRET_PREVIOUS: previous.toString('base64') }, tempDir()).processorSecretPrevious).toEqual(previous);
    expect(loadConfig(safe, tempDir()).processorSecretPrevious).toBeNull();
    expect(() => loadConfig({ ...safe, OUTLAY_PROCESSOR_SECRET_PREVIOUS: 'c2hvcnQ=' }, tempDir())).toThrow(/OUTLAY_PROCESSOR_SECRET_PREVIOUS/);
  });

  it('reads our SAML key and certificate as a pair, the key the certificate\'s', () => {
    const dir = tempDir();
    const ours = makeSigningKey('Outlay SP');
    const other = makeSigningKey('Someone else');
    const file = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const env = { OUTLAY_SAML_SP_KEY_FILE: file('key.pem', ours.privateKey), OUTLAY_SAML_SP_CERT_FILE: file('cert.pem', ours.certificate) };
    expect(loadConfig({}, tempDir()).samlSigning).toBeNull();
    expect(loadConfig(env, tempDir()).samlSigning?.certificate).toContain('BEGIN CERTIFICATE');
    expect(() => loadConfig({ OUTLAY_SAML_SP_KEY_FILE: env.OUTLAY_SAML_SP_KEY_FILE }, tempDir())).toThrow(expect.objectContaining({ variable: 'OUTLAY_SAML_SP_CERT_FILE' }));
    expect(() => loadConfig({ ...env, OUTLAY_SAML_SP_CERT_FILE: file('other.pem', other.certificate) }, tempDir())).toThrow(expect.objectContaining({ variable: 'OUTLAY_SAML_SP_KEY_FILE' }));
    expect(() => loadConfig({ ...env, OUTLAY_SAML_SP_CERT_FILE: file('junk.pem', 'not a certificate') }, tempDir())).toThrow(expect.objectContaining({ variable: 'OUTLAY_SAML_SP_CERT_FILE' }));
  });
});
