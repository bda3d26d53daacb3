// Bank rails end to end: top-up instructions with a checked creditor reference; the top-up
// account's CAMT.053 statement imported by an operator, its credits booked as the named
// companies' top-ups or held in suspense; importing again changes nothing; an inconsistent
// statement waits; the suspense queue; a company's own statement marking its payout
// executed; low-balance alerts; and the ISO 8583 gateway finding cards by their number.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOfRoles } from '../../src/auth/permissions.js';
import { isCreditorReference } from '../../src/banking/creditor-reference.js';
import { sweepLowBalances } from '../../src/banking/low-balance-alerts.service.js';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { revealCard } from '../../src/cards/card-reveal.service.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, signIn, testPassword, type ApiClient, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { camt053 } from '../../src/test-support/camt053.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { authorizationRequest } from '../../src/test-support/iso8583-acquirer-messages.js';
import { Iso8583Client } from '../../src/test-support/iso8583-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const topUpIban = 'DK3852950001234567';
const encryptionKey = randomBytes(32);
/** The server's clock: the sweeps and the payout dates below read it, and the tests move it. */
const clock = new ManualClock();
let server: RunningServer;
let operator: SessionClient;
let alpha: Tenant;
let bravo: Tenant;
let charlie: Tenant;
let alphaReference: string;
let sequence = 0;

const upload = (client: ApiClient, path: string, xml: string, fileName = 'statement.xml'): Promise<ApiResponse> =>
  client.request('POST', `${path}?fileName=${fileName}`, undefined, { rawBody: Buffer.from(xml), headers: { 'content-type': 'application/xml' } });

async function walletOf(tenant: Tenant) {
  return (await tenant.client.get('/api/v1/wallet')).body.balance.amount as string;
}

const statement = (entries: Parameters<typeof camt053>[0][number]['entries'], extra: Partial<Parameters<typeof camt053>[0][number]> = {}) =>
  camt053([{ id: `STMT-${++sequence}`, iban: topUpIban, currency: 'EUR', opening: '10000.00', date: '2026-11-30', entries, ...extra }]);

beforeAll(async () => {
  server = await startTestServer({ clock, config: { encryptionKey, iso8583: { host: '127.0.0.1', port: 0 }, receipts: { ...testConfig().receipts, readers: 0 } } });
  const platform = await server.database.db.selectFrom('companies').select('id').where('is_platform', '=', true).executeTakeFirstOrThrow();
  await addActivePerson(server.database.db, platform.id, { email: 'ops@outlay.test', name: 'Olga Operator', roles: ['operator'], password: testPassword });
  operator = await signIn(server.app, 'ops@outlay.test', testPassword);
  alpha = await createTenant(server, { name: 'Alpha', currency: 'EUR', adminEmail: 'admin@alpha.test' });
  bravo = await createTenant(server, { name: 'Bravo', currency: 'DKK', adminEmail: 'admin@bravo.test' });
  charlie = await createTenant(server, { name: 'Charlie', currency: 'EUR', adminEmail: 'admin@charlie.test' });
  const instructions = await alpha.client.get('/api/v1/wallet/top-up-instructions');
  alphaReference = instructions.body.reference;
});
afterAll(async () => {
  await server?.close();
});

describe('top-up instructions', () => {
  it('give the top-up account and a creditor reference that checks, the same every time', async () => {
    const instructions = (await alpha.client.get('/api/v1/wallet/top-up-instructions')).body;
    expect(instructions).toMatchObject({ iban: topUpIban, currency: 'EUR', warning: null });
    expect(isCreditorReference(instructions.reference)).toBe(true);
    expect(instructions.reference).toBe(alphaReference);
    expect(instructions.referenceFormatted.replaceAll(' ', '')).toBe(alphaReference);
    expect((await bravo.client.get('/api/v1/wallet/top-up-instructions')).body.warning).toContain('DKK');
  });
});

describe('the top-up account\'s statements', () => {
  it('book a credit with a company\'s reference as its top-up, hold unknown ones in suspense, and change nothing when imported again', async () => {
    const spaced = alphaReference.toLowerCase().replace(/(.{4})/g, '$1 ');
    const xml = statement([
      { amount: '500.00', bookingDate: '2026-11-30', remittance: `Wallet top-up ${spaced}`, bankReference: 'BANKREF-1', counterparty: { name: 'Alpha ApS', iban: 'DK9520000123456789' } },
      { amount: '80.00', bookingDate: '2026-11-30', remittance: 'for the cards', bankReference: 'BANKREF-2' },
      { amount: '-2.50', bookingDate: '2026-11-30', remittance: 'Account fee', bankReference: 'BANKREF-3' },
    ]);
    expect((await upload(alpha.client, '/api/v1/bank/statements', xml)).status).toBe(403);
    const imported = await upload(operator, '/api/v1/bank/statements', xml);
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body).toMatchObject({ format: 'camt.053', duplicateFile: false, statements: [{ state: 'booked', duplicate: false, entries: { top_up: 1, suspense: 1, other: 1 } }] });
    expect(await walletOf(alpha)).toBe('500.00');
    const topUps = (await alpha.client.get('/api/v1/wallet/top-ups')).body.items;
    expect(topUps).toEqual([expect.objectContaining({ amount: { amount: '500.00', currency: 'EUR' }, bankReference: 'BANKREF-1', receivedOn: '2026-11-30' })]);

    const again = await upload(operator, '/api/v1/bank/statements', xml);
    expect(again.body).toMatchObject({ duplicateFile: true, statements: [] });
    const sameStatementOtherFile = await upload(operator, '/api/v1/bank/statements', xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0"?>\n'));
    expect(sameStatementOtherFile.body.statements).toEqual([expect.objectContaining({ duplicate: true })]);
    expect(await walletOf(alpha)).toBe('500.00');
  });

  it('read an MT940 file with what a person reads without guessing, and show what was unusual with the import, again when it comes again', async () => {
    const mt940 = [
      'ABNANL2A',
      '940',
      ':20:LIBERAL-1',
      `:25:${topUpIban}`,
      ':28C:1/1',
      ':60F:C261130EUR0000000000000000100,00',
      ':61:2611301130C25NTRFNONREF//LIB-1',
      ':86:for the cards',
      ':62F:C261130EUR125,00',
      '-',
    ].join('\r\n');
    const imported = await operator.request('POST', '/api/v1/bank/statements?fileName=liberal.sta', undefined, { rawBody: Buffer.from(mt940), headers: { 'content-type': 'text/plain' } });
    expect(imported.status, imported.text).toBe(201);
    const codes = [
      ['header_line_skipped', 1],
      ['header_line_skipped', 2],
      ['amount_zero_padded', 6],
      ['amount_without_decimal_comma', 7],
    ];
    expect(imported.body).toMatchObject({ format: 'mt940', duplicateFile: false, statements: [{ state: 'booked', entries: { suspense: 1 } }] });
    expect(imported.body.warnings.map((warning: { code: string; line: number }) => [warning.code, warning.line])).toEqual(codes);
    expect(imported.body.warnings[3]).toEqual({ code: 'amount_without_decimal_comma', line: 7, path: null, message: ':61: amount "25" has no decimal comma; read as 25,' });
    const again = await operator.request('POST', '/api/v1/bank/statements', undefined, { rawBody: Buffer.from(mt940), headers: { 'content-type': 'text/plain' } });
    expect(again.body).toMatchObject({ duplicateFile: true, statements: [] });
    expect(again.body.warnings).toEqual(imported.body.warnings);
    const row = await server.database.db.selectFrom('bank_statement_files').select(['warnings', 'format']).where('id', '=', imported.body.fileId).executeTakeFirstOrThrow();
    expect(row).toEqual({ format: 'mt940', warnings: imported.body.warnings });
    // The statement says which file it came in and what was unusual in it.
    const shown = await operator.get(`/api/v1/bank/statements/${imported.body.statements[0].id}`);
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body.file).toEqual({ id: imported.body.fileId, format: 'mt940', fileName: 'liberal.sta', receivedVia: 'api', warnings: imported.body.warnings });
  });

  it('tell apart transfers without a bank reference, and book a transfer shown on two statements once', async () => {
    const before = (await operator.get('/api/v1/bank/suspense?limit=200')).body.items.length;
    const first = statement([
      { amount: '30.00', bookingDate: '2026-11-30', remittance: `top-up ${alphaReference}`, endToEndId: 'NOTPROVIDED', counterparty: { name: 'Alpha ApS', iban: 'DK9520000123456789' } },
      { amount: '30.00', bookingDate: '2026-11-30', remittance: `second top-up ${alphaReference}`, endToEndId: 'NOTPROVIDED', counterparty: { name: 'Alpha ApS', iban: 'DK9520000123456789' } },
      { amount: '15.00', bookingDate: '2026-11-30', remittance: 'no idea', endToEndId: 'NOTPROVIDED', counterparty: { name: 'Someone', iban: 'DK3030000987654321' } },
      { amount: '15.00', bookingDate: '2026-11-30', remittance: 'no idea', endToEndId: 'NOTPROVIDED', counterparty: { name: 'Someone', iban: 'DK3030000987654321' } },
    ]);
    const imported = await upload(operator, '/api/v1/bank/statements', first);
    expect(imported.body.statements[0].entries).toEqual({ top_up: 2, suspense: 2 });
    expect(await walletOf(alpha)).toBe('560.00');
    // The end-of-day statement repeats the same four transfers under another statement id.
    const endOfDay = first.replaceAll(/STMT-\d+/g, 'EOD-2026-11-30').replace('<Amt Ccy="EUR">10000.00</Amt>', '<Amt Ccy="EUR">10000.00</Amt>');
    const again = await upload(operator, '/api/v1/bank/statements', endOfDay);
    expect(again.body.statements[0]).toMatchObject({ duplicate: false, entries: { duplicate: 4 } });
    expect(await walletOf(alpha)).toBe('560.00');
    expect((await operator.get('/api/v1/bank/suspense?limit=200')).body.items.length).toBe(before + 2);
  });

  it('hold an inconsistent statement with its reason until an operator accepts it', async () => {
    const xml = statement([{ amount: '120.00', bookingDate: '2026-11-30', remittance: alphaReference, bankReference: 'BANKREF-10' }], { closing: '9999.00' });
    const imported = await upload(operator, '/api/v1/bank/statements', xml);
    const [held] = imported.body.statements;
    expect(held).toMatchObject({ state: 'held', entries: { pending: 1 } });
    expect(held.inconsistency).toMatch(/closing/i);
    expect(await walletOf(alpha)).toBe('560.00');
    expect((await operator.get('/api/v1/bank/statements?state=held')).body.items.map((s: { id: string }) => s.id)).toContain(held.id);

    const accepted = await operator.post(`/api/v1/bank/statements/${held.id}/accept`);
    expect(accepted.body).toMatchObject({ state: 'booked', entries: [{ state: 'top_up' }] });
    expect(await walletOf(alpha)).toBe('680.00');
    expect((await operator.post(`/api/v1/bank/statements/${held.id}/accept`)).status).toBe(409);
  });

  it('hold a statement of another account, and discard it', async () => {
    const xml = statement([{ amount: '50.00', bookingDate: '2026-11-30', remittance: alphaReference }], { iban: 'DK9520000123456789' });
    const [held] = (await upload(operator, '/api/v1/bank/statements', xml)).body.statements;
    expect(held.inconsistency).toContain('not DK3852950001234567');
    expect((await operator.post(`/api/v1/bank/statements/${held.id}/discard`)).body.state).toBe('discarded');
    expect(await walletOf(alpha)).toBe('680.00');
  });

  it('refuses a malformed file, saying where, and keeps nothing', async () => {
    const response = await upload(operator, '/api/v1/bank/statements', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>');
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(response.body.detail).toContain('Stmt');
  });

  it('answers 400 for XML the parser cannot read past its declaration, never a 500 (found by verify:fuzz)', async () => {
    const response = await upload(operator, '/api/v1/bank/statements', '<?xml version="1.0<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>');
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'validation_failed' });
  });
});

describe('the suspense queue', () => {
  it('lets an operator give a transfer to the company it was meant for, or mark it for return', async () => {
    const xml = statement([
      { amount: '250.00', bookingDate: '2026-11-30', remittance: 'Charlie cards please', bankReference: 'BANKREF-20' },
      { amount: '9.99', bookingDate: '2026-11-30', remittance: 'wrong account', bankReference: 'BANKREF-21' },
    ]);
    await upload(operator, '/api/v1/bank/statements', xml);
    const queue = (await operator.get('/api/v1/bank/suspense')).body.items as { id: string; remittance: string }[];
    const forCharlie = queue.find((entry) => entry.remittance === 'Charlie cards please')!;
    const wrong = queue.find((entry) => entry.remittance === 'wrong account')!;
    const toBravo = await operator.post(`/api/v1/bank/entries/${forCharlie.id}/assign`, { companyId: bravo.company.id });
    expect(toBravo.body.code).toBe('currency_mismatch');
    const assigned = await operator.post(`/api/v1/bank/entries/${forCharlie.id}/assign`, { companyId: charlie.company.id });
    expect(assigned.body).toMatchObject({ state: 'assigned', companyId: charlie.company.id });
    expect(await walletOf(charlie)).toBe('250.00');
    expect((await operator.post(`/api/v1/bank/entries/${forCharlie.id}/assign`, { companyId: charlie.company.id })).status).toBe(409);
    expect((await operator.post(`/api/v1/bank/entries/${wrong.id}/return`, { note: 'Not a customer: sent back to the payer' })).body.state).toBe('returned');
    const left = (await operator.get('/api/v1/bank/suspense')).body.items.map((entry: { id: string }) => entry.id);
    expect(left).not.toContain(forCharlie.id);
    expect(left).not.toContain(wrong.id);
    expect((await operator.get('/api/v1/bank/companies')).body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([alpha.company.id, charlie.company.id]));
  });
});

describe('a company\'s own statement', () => {
  it('marks a paid reimbursement batch executed when the bank shows it leaving the account', async () => {
    const admin = alpha.client;
    const employee = await addPerson(admin, { email: 'eve@alpha.test', name: 'Eve', roles: ['employee'] });
    const category = (await admin.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id;
    await admin.patch('/api/v1/expense-settings', { debtor: { name: 'Alpha ApS', iban: 'DK9520000123456789' }, mileageRate: '0.50' });
    await employee.client.request('PUT', '/api/v1/payee-account', { holderName: 'Eve', iban: 'DK3030000987654321' });
    const drive = await employee.client.post('/api/v1/expenses', { kind: 'mileage', spentOn: '2026-11-30', distanceKm: '100', categoryId: category });
    expect((await employee.client.post(`/api/v1/expenses/${drive.body.id}/submit`)).body.state).toBe('approved');
    const yesterday = new Date(clock.now().getTime() - 24 * 3600_000).toISOString().slice(0, 10);
    expect((await admin.post('/api/v1/payout-batches', { executionDate: yesterday })).body).toMatchObject({ code: 'validation_failed', field: 'executionDate' });
    const batch = (await admin.post('/api/v1/payout-batches', {})).body.batch;
    expect(batch.executionDate).toBe(clock.now().toISOString().slice(0, 10));
    await admin.post(`/api/v1/payout-batches/${batch.id}/paid`);

    const own = camt053([{ id: 'ALPHA-1', iban: 'DK9520000123456789', currency: 'EUR', opening: '1000.00', date: '2026-12-01', entries: [{ amount: '-50.00', bookingDate: '2026-12-01', remittance: batch.messageId, bankReference: 'OWN-1' }] }]);
    const imported = await upload(admin, '/api/v1/wallet/bank-statements', own);
    expect(imported.body.statements).toEqual([expect.objectContaining({ state: 'booked', entries: { payout: 1 } })]);
    expect((await admin.get(`/api/v1/payout-batches/${batch.id}`)).body.state).toBe('executed');
    const executed = (await admin.get('/api/v1/notifications')).body.items.filter((n: { kind: string }) => n.kind === 'payout_executed');
    expect(executed.map((n: { link: unknown }) => n.link)).toEqual([{ type: 'payout_batch', id: batch.id }]);
  });
});

describe('low-balance alerts', () => {
  it('tell the admins once when the wallet falls below the threshold, and again only after it recovered', async () => {
    const db = server.database.db;
    const alerts = async () => (await charlie.client.get('/api/v1/notifications')).body.items.filter((n: { kind: string }) => n.kind === 'wallet_low_balance').length;
    expect((await charlie.client.request('PUT', '/api/v1/wallet/low-balance-alert', { lowBalanceBelow: '300.00' })).status).toBe(200);
    // Port 9 refuses: the deliveries are written with each alert and never received.
    const endpoint = await charlie.client.post('/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/low', eventTypes: ['wallet.low_balance'] });
    expect(endpoint.status).toBe(201);
    const told = async () => (await db.selectFrom('webhook_deliveries').select('payload').where('company_id', '=', charlie.company.id).where('event_type', '=', 'wallet.low_balance').execute()).map((row) => JSON.parse(row.payload).data);
    const firstAlert = clock.now();
    await sweepLowBalances(db, clock.now());
    clock.advance(60_000);
    await sweepLowBalances(db, clock.now());
    expect(await alerts()).toBe(1);
    expect((await charlie.client.get('/api/v1/wallet/low-balance-alert')).body.alertedAt).toBe(firstAlert.toISOString());
    expect(await told()).toEqual([{ available: expect.objectContaining({ currency: 'EUR' }), below: { amount: '300.00', currency: 'EUR' } }]);

    await fundWallet(server, charlie.company.id, { amount: '100.00', currency: 'EUR', bankReference: 'C-2', receivedOn: '2026-11-30' });
    clock.advance(60_000);
    await sweepLowBalances(db, clock.now());
    expect((await charlie.client.get('/api/v1/wallet/low-balance-alert')).body.alertedAt).toBeNull();
    expect(await alerts()).toBe(1);

    // A card purchase takes the wallet below the threshold again: a new alert, at the time of
    // the sweep that sees it (the clock moves first, so the server's own sweep agrees).
    const secondAlert = clock.advance(60_000);
    const card = await charlie.client.post('/api/v1/cards', { userId: charlie.admin.id, kind: 'virtual' });
    expect(card.status, card.text).toBe(201);
    const purchase = await charlie.client.post('/api/v1/simulator/purchases', { cardId: card.body.id, amount: '100.00', currency: 'EUR', channel: 'online', merchant: { name: 'Kiosk', mcc: '5499', country: 'DK' } });
    expect(purchase.body.approved, purchase.text).toBe(true);
    await sweepLowBalances(db, clock.now());
    expect(await alerts()).toBe(2);
    expect(await told()).toHaveLength(2);
    expect((await charlie.client.get('/api/v1/wallet/low-balance-alert')).body.alertedAt).toBe(secondAlert.toISOString());
  });
});

describe('the ISO 8583 gateway', () => {
  it('finds the card by its number and approves a purchase against the wallet', async () => {
    const db = server.database.db;
    const holder = await addActivePerson(db, alpha.company.id, { email: 'card@alpha.test', name: 'Card Holder', roles: ['employee'], password: testPassword });
    const card = await issueCard(db, encryptionKey, alpha.company.id, { userId: holder.id, kind: 'virtual' }, { actorType: 'system', actorId: null }, new Date());
    const principal = { kind: 'user' as const, companyId: alpha.company.id, userId: holder.id, sessionId: 'ses_x', roles: holder.roles, permissions: permissionsOfRoles(holder.roles) };
    const { number } = await revealCard(db, encryptionKey, principal, card.id, testPassword, new Date());
    const client = await Iso8583Client.connect('127.0.0.1', server.iso8583Port!);
    try {
      const answer = await client.request(authorizationRequest({
        pan: number,
        amount: 1250n,
        currency: '978',
        merchant: { name: 'Kiosk', city: 'Copenhagen', country: 'DK', mcc: '5499', id: 'M-1' },
        transmittedAt: new Date(),
        stan: '000001',
        retrievalReference: '000000000001',
        acquirer: '123456',
      }));
      expect({ mti: answer.mti, code: answer.fields[39] }).toEqual({ mti: '0110', code: '00' });
      const unknown = await client.request(authorizationRequest({ pan: '0999001234567894', amount: 100n, currency: '978', merchant: { name: 'Kiosk', city: 'Copenhagen', country: 'DK', mcc: '5499', id: 'M-1' }, transmittedAt: new Date(), stan: '000002', retrievalReference: '000000000002', acquirer: '123456' }));
      expect(unknown.fields[39]).toBe('14');
    } finally {
      client.close();
    }
    expect((await alpha.client.get('/api/v1/wallet')).body.reserved.amount).toBe('12.50');
  });
});

describe('the ledgers', () => {
  it('stay balanced, the platform\'s included', async () => {
    expect((await verifyLedger(server.database.db)).violations).toEqual([]);
  });
});
