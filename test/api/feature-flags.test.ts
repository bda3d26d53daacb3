// Feature flags over HTTP: only platform operators read and change them, a change is checked
// and written to the platform's audit trail with the flag before and after, and a change made
// through one server reaches another server's flags on the same database within the refresh
// period, where the simulator then answers as switched off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationEngineOf } from '../../src/cards/authorization.service.js';
import { flagsOf } from '../../src/flags/feature-flags.js';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { createApiKey, createTenant, signIn, testPassword, withApiKey, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { renderReceiptPicture } from '../../src/demo/receipt-pictures.js';
import { eventually } from '../../src/test-support/eventually.js';
import { uploadReceipt, waitUntilRead } from '../../src/test-support/receipts.js';
import { startServerBeside } from '../../src/test-support/second-server.js';
import { startTestServer } from '../../src/test-support/server.js';

let server: RunningServer;
let second: RunningServer;
let operator: SessionClient;
let platformId: string;
let alpha: Tenant;
let bravo: Tenant;

beforeAll(async () => {
  server = await startTestServer();
  second = await startServerBeside(server);
  const platform = await server.database.db.selectFrom('companies').select('id').where('is_platform', '=', true).executeTakeFirstOrThrow();
  platformId = platform.id;
  await addActivePerson(server.database.db, platform.id, { email: 'flags@outlay.test', name: 'Frida Flags', roles: ['operator'], password: testPassword });
  operator = await signIn(server.app, 'flags@outlay.test', testPassword);
  alpha = await createTenant(server, { name: 'Alpha', adminEmail: 'admin@alpha.test' });
  bravo = await createTenant(server, { name: 'Bravo', adminEmail: 'admin@bravo.test' });
});
afterAll(async () => {
  await second?.close();
  await server?.close();
});

const simulate = (client: SessionClient) =>
  client.post('/api/v1/simulator/purchases', { cardId: 'card_none', amount: '1.00', currency: 'EUR', merchant: { name: 'Café', mcc: '5814', country: 'DK' }, channel: 'online' });

describe('who may see and change flags', () => {
  it('lists the flags the code declares to operators, each as the code declares it', async () => {
    const listed = await operator.get('/api/v1/feature-flags');
    expect(listed.status).toBe(200);
    const byKey = new Map((listed.body.items as { key: string }[]).map((flag) => [flag.key, flag]));
    expect(byKey.get('simulator')).toMatchObject({ kind: 'boolean', enabled: true, variants: ['on', 'off'], defaultVariant: 'on', rules: [] });
    expect(byKey.get('card-auto-freeze')).toMatchObject({ kind: 'boolean', defaultVariant: 'on' });
    expect(byKey.get('ocr-engine')).toMatchObject({ kind: 'variant', variants: ['tesseract', 'paddle', 'paddle+tesseract'], defaultVariant: 'tesseract' });
    expect(byKey.get('authorization-engine')).toMatchObject({ kind: 'variant', variants: ['standard', 'batched'], defaultVariant: 'batched' });
  });

  it('refuses a company admin and any API key', async () => {
    const asAdmin = await alpha.client.patch('/api/v1/feature-flags/simulator', { enabled: false });
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.code).toBe('forbidden');
    expect((await alpha.client.get('/api/v1/feature-flags')).status).toBe(403);
    const key = await createApiKey(alpha.client, 'Everything', ['company:read', 'cards:manage']);
    expect((await withApiKey(server.app, key.secret).get('/api/v1/feature-flags')).status).toBe(403);
  });
});

describe('changing a flag', () => {
  it('says which field is wrong, as problem+json, and changes nothing', async () => {
    const cases: [body: object, field: string][] = [
      [{ defaultVariant: 'vectorized' }, 'defaultVariant'],
      [{ rules: [{ match: 'companies', ids: [alpha.company.id], variant: 'vectorized' }] }, 'rules/0/variant'],
      [{ variants: ['standard'] }, 'defaultVariant'],
    ];
    for (const [body, field] of cases) {
      const refused = await operator.patch('/api/v1/feature-flags/authorization-engine', body);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'validation_failed', field });
    }
    const booleanVariants = await operator.patch('/api/v1/feature-flags/simulator', { variants: ['on', 'maybe'] });
    expect(booleanVariants.body).toMatchObject({ code: 'validation_failed', field: 'variants' });
    const outOfRange = await operator.patch('/api/v1/feature-flags/simulator', { rules: [{ match: 'percentage', by: 'company', percentage: 101, variant: 'off' }] });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.code).toBe('validation_failed');
    const unknownRule = await operator.patch('/api/v1/feature-flags/simulator', { rules: [{ match: 'country', ids: ['DK'], variant: 'off' }] });
    expect(unknownRule.status).toBe(400);
    expect((await operator.patch('/api/v1/feature-flags/no-such-flag', { enabled: false })).body.code).toBe('not_found');
    expect((await operator.get('/api/v1/feature-flags/authorization-engine')).body).toMatchObject({ variants: ['standard', 'batched'], defaultVariant: 'batched', rules: [] });
  });

  it('adds a variant and rolls it out to one company, audited in the platform\'s trail with before and after', async () => {
    const changed = await operator.patch('/api/v1/feature-flags/authorization-engine', {
      variants: ['standard', 'batched', 'vectorized'],
      rules: [{ match: 'companies', ids: [alpha.company.id], variant: 'vectorized' }],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ variants: ['standard', 'batched', 'vectorized'], defaultVariant: 'batched', rules: [{ match: 'companies', ids: [alpha.company.id], variant: 'vectorized' }] });
    const audit = await server.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('company_id', '=', platformId)
      .where('action', '=', 'feature_flag.updated')
      .where('subject_id', '=', 'authorization-engine')
      .executeTakeFirstOrThrow();
    expect(audit.actor_type).toBe('user');
    expect(audit.subject_type).toBe('feature_flag');
    expect(audit.details).toMatchObject({ before: { variants: ['standard', 'batched'], rules: [] }, after: { variants: ['standard', 'batched', 'vectorized'], rules: [{ match: 'companies', variant: 'vectorized' }] } });
    // The server that made the change reads it at once: no wait.
    expect(await flagsOf(server.database.db).variantOf('authorization-engine', { companyId: alpha.company.id })).toBe('vectorized');
    expect(await flagsOf(server.database.db).variantOf('authorization-engine', { companyId: bravo.company.id })).toBe('batched');
  });

  it('decides with the default engine where the flag names one this version lacks', async () => {
    // "vectorized" is a variant in the database but no engine in this code.
    expect(await authorizationEngineOf(flagsOf(server.database.db), alpha.company.id)).toBe('batched');
  });
});

describe('a change reaching another server on the same database', () => {
  it('switches the simulator off for one company in the other server within the refresh period', async () => {
    const alphaOnSecond = await signIn(second.app, alpha.adminEmail, testPassword);
    const bravoOnSecond = await signIn(second.app, bravo.adminEmail, testPassword);
    // On: the simulator looks for the card (and does not find it).
    expect((await simulate(alphaOnSecond)).body.detail).toBe('card was not found');
    expect((await alphaOnSecond.get('/api/v1/session')).body.features.simulator).toBe(true);

    const changed = await operator.patch('/api/v1/feature-flags/simulator', { rules: [{ match: 'companies', ids: [alpha.company.id], variant: 'off' }] });
    expect(changed.status).toBe(200);

    await eventually('the simulator flag in the second server', async () =>
      (await flagsOf(second.database.db).isOn('simulator', { companyId: alpha.company.id })) ? undefined : true);
    const refused = await simulate(alphaOnSecond);
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ code: 'not_found', detail: 'the simulator is switched off for this company' });
    expect((await alphaOnSecond.get('/api/v1/session')).body.features.simulator).toBe(false);
    // Another company keeps it.
    expect((await simulate(bravoOnSecond)).body.detail).toBe('card was not found');
    expect((await bravoOnSecond.get('/api/v1/session')).body.features.simulator).toBe(true);
  });

  it('gives the code\'s default everywhere once the flag is disabled', async () => {
    await operator.patch('/api/v1/feature-flags/simulator', { enabled: false });
    await eventually('the disabled simulator flag in the second server', async () =>
      (await flagsOf(second.database.db).isOn('simulator', { companyId: alpha.company.id })) ? true : undefined);
    expect((await operator.get('/api/v1/feature-flags/simulator')).body).toMatchObject({ enabled: false, rules: [{ match: 'companies', variant: 'off' }] });
  });
});

describe('the ocr-engine flag, end to end', () => {
  it('has one company\'s receipt photos read by PaddleOCR and another\'s by tesseract, each reading saying which', async () => {
    const changed = await operator.patch('/api/v1/feature-flags/ocr-engine', { enabled: true, rules: [{ match: 'companies', ids: [alpha.company.id], variant: 'paddle' }] });
    expect(changed.status, changed.text).toBe(200);
    // Both servers on the database read receipts: each must know the change first.
    for (const each of [server, second]) {
      await eventually('the ocr-engine flag in each server', async () => ((await flagsOf(each.database.db).variantOf('ocr-engine', { companyId: alpha.company.id })) === 'paddle' ? true : undefined));
    }

    const photo = await renderReceiptPicture({ merchant: 'Bageri Lund', date: '2026-11-30', items: [{ name: 'Rugbrod', amount: '32.00' }, { name: 'Kanelsnegl', amount: '24.50' }], total: '56.50', currency: 'DKK' });
    const readings = [];
    for (const tenant of [alpha, bravo]) {
      const sent = await uploadReceipt(tenant.client, photo);
      expect(sent.status, sent.text).toBe(201);
      readings.push((await waitUntilRead(tenant.client, sent.body.id)).body);
    }
    const [byPaddle, byTesseract] = readings;
    expect(byPaddle.reading).toMatchObject({ state: 'read', source: 'image', engine: 'paddle' });
    expect(byTesseract.reading).toMatchObject({ state: 'read', source: 'image', engine: 'tesseract' });
    expect([byPaddle.fields.total, byTesseract.fields.total]).toEqual(['56.50', '56.50']);
    await operator.patch('/api/v1/feature-flags/ocr-engine', { rules: [] });
  }, 120_000);
});
