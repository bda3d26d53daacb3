// Starts the whole application for a test, on an ephemeral port with a fresh database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultLimits, type Config, type PasswordCost } from '../config/config.js';
import type { DestinationStream } from 'pino';
import type { Clock } from '../shared/clock.js';
import { startServer, type RunningServer } from '../server/server.js';
import type { SweepOptions } from '../server/sweeps.js';
import { openTestDatabase } from './database.js';

/** Tests hash passwords at a far lower cost than production's passwordCostOwasp (2^17, about
 * 300 ms a hash): most tests sign someone in, and some dozens. Passed explicitly through the
 * configuration and to addActivePerson. */
export const testPasswordCost: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    host: '127.0.0.1',
    port: 0,
    publicUrl: 'http://localhost:3000',
    dataDir: mkdtempSync(path.join(tmpdir(), 'outlay-test-')),
    database: { kind: 'pglite', dataDir: null },
    demo: false,
    logLevel: 'silent',
    production: false,
    sessionKey: randomBytes(32),
    encryptionKey: randomBytes(32),
    previousEncryptionKeys: [],
    processorSecret: randomBytes(32),
    processorSecretPrevious: null,
    processorToleranceSeconds: 300,
    simulatorEnabled: true,
    cookieSecure: true,
    passwordCost: testPasswordCost,
    sessionTtlHours: 12,
    inviteTtlHours: 72,
    bodyBytesMax: 1024 * 1024,
    receipts: { fileBytesMax: 10 * 1024 * 1024, readers: 1, ocrWorkers: 1, readTimeoutSeconds: 60 },
    smtp: null,
    mail: { smtpUrl: null, from: 'Outlay <outlay@localhost>' },
    dnsServers: null,
    iso8583: null,
    trustProxy: false,
    limits: defaultLimits(),
    sweepIntervalMs: 60_000,
    webhookDeliveryRetentionDays: 30,
    banking: { topUpAccount: { iban: 'DK3852950001234567', bic: 'NDEADKKK', name: 'Outlay client funds', currency: 'EUR' }, inboxDir: null },
    storage: { kind: 'database' },
    observability: { otlpTracesUrl: null, serviceName: 'outlay', metricsToken: null, metricsListener: null },
    ...overrides,
  };
}

export async function startTestServer(options: { demo?: boolean; config?: Partial<Config>; clock?: Clock; sweeps?: SweepOptions; logStream?: DestinationStream; webhookPollIntervalMs?: number } = {}): Promise<RunningServer> {
  const database = await openTestDatabase();
  const server = await startServer(testConfig({ demo: options.demo ?? false, ...options.config }), {
    database,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.sweeps ? { sweeps: options.sweeps } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.webhookPollIntervalMs !== undefined ? { webhookPollIntervalMs: options.webhookPollIntervalMs } : {}),
  });
  // The demo's webhook endpoint has the seeding's events to deliver; where a background sender
  // runs, they are delivered now, so a test that compares the database before and after a
  // request sees only what the request wrote. With an interval of 0 the test sends them itself.
  if (options.demo && options.webhookPollIntervalMs !== 0) await server.webhooks.deliverDue();
  return server;
}
