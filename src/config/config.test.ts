import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

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

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ OUTLAY_DEMO: 'maybe' }, 'OUTLAY_DEMO'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ OUTLAY_SESSION_KEY: 'c2hvcnQ=' }, 'OUTLAY_SESSION_KEY'],
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

  it('marks cookies Secure on https and localhost only', () => {
    expect(loadConfig({ OUTLAY_PUBLIC_URL: 'https://spend.example.com' }, tempDir()).cookieSecure).toBe(true);
    expect(loadConfig({}, tempDir()).cookieSecure).toBe(true);
    expect(loadConfig({ OUTLAY_PUBLIC_URL: 'http://10.0.0.5:3000' }, tempDir()).cookieSecure).toBe(false);
  });
});
