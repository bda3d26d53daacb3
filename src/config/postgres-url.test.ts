// DATABASE_URL with one host or with several (a primary and its standbys), as libpq reads it.
import { describe, expect, it } from 'vitest';
import { parsePostgresUrl } from './postgres-url.js';

describe('reading a PostgreSQL URL', () => {
  it.each([
    ['postgres://u@db:5433/outlay', [{ host: 'db', port: 5433 }], 'any'],
    ['postgres://u@db/outlay', [{ host: 'db', port: 5432 }], 'any'],
    ['postgresql://u:p%40ss@a:5432,b:5433/outlay?target_session_attrs=read-write', [{ host: 'a', port: 5432 }, { host: 'b', port: 5433 }], 'read-write'],
    ['postgres://u@[::1]:6000,b/outlay?target_session_attrs=any', [{ host: '::1', port: 6000 }, { host: 'b', port: 5432 }], 'any'],
  ])('reads the hosts and target_session_attrs of %s', (raw, hosts, attrs) => {
    const url = parsePostgresUrl(raw);
    expect(url.hosts).toEqual(hosts);
    expect(url.targetSessionAttrs).toBe(attrs);
  });

  it('gives each host the same user, password, database and parameters, without target_session_attrs', () => {
    const url = parsePostgresUrl('postgres://u:p%40ss@a:5432,b:5433/outlay?sslmode=disable&target_session_attrs=read-write');
    expect(url.urlFor(url.hosts[1]!)).toBe('postgres://u:p%40ss@b:5433/outlay?sslmode=disable');
    expect(url.urlFor({ host: '::1', port: 7 })).toBe('postgres://u:p%40ss@[::1]:7/outlay?sslmode=disable');
    expect(url.parameters.get('sslmode')).toBe('disable');
    expect(url.parameters.has('target_session_attrs')).toBe(false);
  });

  it.each([
    ['mysql://u@db/outlay', 'not a postgres:// URL'],
    ['postgres:///outlay', 'names no host'],
    ['postgres://u@a:5432,,b/outlay', 'not host or host:port'],
    ['postgres://u@a:99999/outlay', 'port out of range'],
    ['postgres://u@a,b/outlay?target_session_attrs=read-only', 'only read-write or any'],
  ])('refuses %s', (raw, reason) => {
    expect(() => parsePostgresUrl(raw)).toThrow(reason);
  });
});
