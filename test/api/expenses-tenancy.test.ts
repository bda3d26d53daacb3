// Tenants never see each other's books, expenses, payouts or exports. Company B keeps its
// books (settings, chart of accounts, tax codes, tags, per diem rates, team reviewers, review
// rules and budget owners, closed periods, payee accounts) and has expenses in every state (one
// in review with a step approved), card expenses among them, a paid
// and an unpaid payout batch, an exported batch, and money owed and approved expenses not yet
// exported (so that a batch of A's that reached across would take them). For every route of
// these modules, a person and an API key of company A try to read or change B's rows by id:
// each attempt is 404 (never 403, which would confirm the id exists), lists and settings show
// A's own, and every row of B stays exactly as it was. The general suite (tenancy.test.ts)
// covers the other routes.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyScopes } from '../../src/auth/permissions.js';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createApiKey, createTenant, type ApiClient, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { finishedExport } from '../../src/test-support/eventually.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { describeTenancy, expectEachNotFound, expectForbidden, expectNotFound, expectOnlyCompany, expectRowsIn, idsOf, type CompanyTable, type TenancyCases } from '../../src/test-support/tenancy.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const today = () => new Date().toISOString().slice(0, 10);

/** What sets two companies' books apart, so that a settings route answering B's values shows. */
interface Profile {
  label: string;
  name: string;
  currency: string;
  mileageRate: string;
  reviewThreshold: string;
  dailyRates: Record<string, string>;
  debtorIban: string;
  /** The admin's and the employee's bank accounts. */
  payeeIbans: [string, string];
  closedPeriods: string[];
  /** Books B keeps and A does not: free for A to create under the same code or name. */
  extraCategoryCode?: string;
  extraTaxCode?: string;
  extraTagGroup?: string;
}

const alder: Profile = {
  label: 'alder',
  name: 'Alder Books',
  currency: 'EUR',
  mileageRate: '0.38',
  reviewThreshold: '200.00',
  dailyRates: { DE: '28.00' },
  debtorIban: 'DE89370400440532013000',
  payeeIbans: ['NL91ABNA0417164300', 'FR1420041010050500013M02606'],
  closedPeriods: ['2020-02'],
};

const birch: Profile = {
  label: 'birch',
  name: 'Birch Books',
  currency: 'DKK',
  mileageRate: '3.79',
  reviewThreshold: '1500.00',
  dailyRates: { DE: '560.00', SE: '500.00' },
  debtorIban: 'DK5000400440116243',
  payeeIbans: ['GB29NWBK60161331926819', 'SE4550000000058398257466'],
  // Past months, so that B still files and approves in the current one.
  closedPeriods: ['2020-01', '2020-03', '2020-04'],
  extraCategoryCode: '6999',
  extraTaxCode: 'REST25',
  extraTagGroup: 'Cost centre',
};

interface Person {
  id: string;
  client: SessionClient;
}

interface ExpenseWorld {
  profile: Profile;
  tenant: Tenant;
  companyId: string;
  admin: SessionClient;
  apiKey: ApiClient;
  teamId: string;
  /** In the team, with a bank account on file. */
  employee: Person;
  /** Without a bank account: what is owed to them is skipped by payout batches. */
  unpaid: Person;
  reviewerId: string;
  travelId: string;
  categoryIds: string[];
  taxCodeIds: string[];
  tagGroupIds: string[];
  tagIds: string[];
  receiptIds: string[];
  draftId: string;
  inReviewId: string;
  expenseIds: string[];
  /** Paid, then created and not yet paid. */
  payoutBatchIds: string[];
  exportBatchId: string;
}

let server: RunningServer;
let a: ExpenseWorld;
let b: ExpenseWorld;

const db = () => server.database.db;
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);

function expect201(response: ApiResponse): string {
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
}

async function setUpBooks(world: Pick<ExpenseWorld, 'admin' | 'teamId' | 'reviewerId' | 'tenant'>, profile: Profile) {
  const { admin } = world;
  const category = (accountCode: string, name: string, allowedTeamIds?: string[]) => admin.post('/api/v1/expense-categories', { accountCode, name, ...(allowedTeamIds ? { allowedTeamIds } : {}) });
  const categoryIds = [expect201(await category('6110', `${profile.label} Travel`)), expect201(await category('6540', 'Meals')), expect201(await category('6570', 'Software', [world.teamId]))];
  if (profile.extraCategoryCode) categoryIds.push(expect201(await category(profile.extraCategoryCode, 'Other')));
  const taxCodeIds = [expect201(await admin.post('/api/v1/tax-codes', { code: 'VAT25', name: 'VAT 25 %', rate: '25', vatAccountCode: '2640' }))];
  if (profile.extraTaxCode) taxCodeIds.push(expect201(await admin.post('/api/v1/tax-codes', { code: profile.extraTaxCode, name: 'Restaurant VAT', rate: '25', deductible: '25', vatAccountCode: '2640' })));
  const tagGroupIds: string[] = [];
  const tagIds: string[] = [];
  for (const group of ['Project', ...(profile.extraTagGroup ? [profile.extraTagGroup] : [])]) {
    const groupId = expect201(await admin.post('/api/v1/tag-groups', { name: group }));
    tagGroupIds.push(groupId);
    for (const tag of [`${profile.label} Apollo`, 'Gemini']) tagIds.push(expect201(await admin.post(`/api/v1/tag-groups/${groupId}/tags`, { name: tag })));
  }
  const settings = await admin.patch('/api/v1/expense-settings', {
    mileageRate: profile.mileageRate,
    reviewThreshold: profile.reviewThreshold,
    debtor: { name: `${profile.name} ApS`, iban: profile.debtorIban },
    organisationNumber: `${profile.label}-org`,
  });
  expect(settings.status, settings.text).toBe(200);
  for (const [country, dailyRate] of Object.entries(profile.dailyRates)) expect((await admin.request('PUT', `/api/v1/per-diem-rates/${country}`, { dailyRate })).status).toBe(200);
  expect((await admin.request('PUT', `/api/v1/team-reviewers/${world.teamId}`, { userIds: [world.reviewerId] })).status).toBe(200);
  // A second approval above the review threshold; the reviewer owns the team's budget.
  const rules = await admin.request('PUT', '/api/v1/review-rules', {
    policyApproves: true,
    steps: [{ name: `${profile.label} team review`, approver: 'team_reviewer' }, { name: `${profile.label} second approval`, amountAbove: profile.reviewThreshold, teamIds: [world.teamId], approver: 'admin' }],
    budgetOwners: [{ teamId: world.teamId, userId: world.reviewerId }],
  });
  expect(rules.status, rules.text).toBe(200);
  for (const period of profile.closedPeriods) expect((await admin.post('/api/v1/closed-periods', { period })).status).toBe(201);
  return { travelId: categoryIds[0]!, categoryIds, taxCodeIds, tagGroupIds, tagIds };
}

type Books = Awaited<ReturnType<typeof setUpBooks>>;

/** An expense its owner files and submits; clean mileage is approved at once and owed. */
async function approvedMileage(person: Person, travelId: string, distanceKm: string, merchant: string): Promise<string> {
  const id = expect201(await person.client.post('/api/v1/expenses', { kind: 'mileage', spentOn: today(), distanceKm, merchant, categoryId: travelId }));
  const submitted = await person.client.post(`/api/v1/expenses/${id}/submit`);
  expect(submitted.body.state, submitted.text).toBe('approved');
  return id;
}

/** Out-of-pocket expenses without a receipt go to review; the admin decides them, but for one
 * above the threshold whose first step the team's reviewer approved. */
async function reviewedExpenses(world: { admin: SessionClient; employee: Person; reviewer: Person }, books: Books, profile: Profile) {
  const { employee, admin, reviewer } = world;
  const { label } = profile;
  const inReview = async (merchant: string, amount: string) => {
    const id = expect201(await employee.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant, amount, categoryId: books.travelId }));
    expect((await employee.client.post(`/api/v1/expenses/${id}/submit`)).body.state).toBe('in_review');
    return id;
  };
  const inReviewId = await inReview(`${label} Spa`, '80.00');
  const sentBack = await inReview(`${label} Taxi`, '45.00');
  expect((await admin.post(`/api/v1/expenses/${sentBack}/request-changes`, { comment: 'Which project?' })).body.state).toBe('changes_requested');
  expect((await employee.client.post(`/api/v1/expenses/${sentBack}/comments`, { comment: 'Apollo' })).status).toBe(201);
  const rejected = await inReview(`${label} Gift`, '30.00');
  expect((await admin.post(`/api/v1/expenses/${rejected}/reject`, { comment: 'Not a business expense' })).body.state).toBe('rejected');
  const twoSteps = await inReview(`${label} Fair`, `${profile.reviewThreshold.split('.')[0]}0.00`);
  expect((await reviewer.client.post(`/api/v1/expenses/${twoSteps}/approve`, {})).body.review?.step.position).toBe(2);
  return { inReviewId, expenseIds: [inReviewId, sentBack, rejected, twoSteps] };
}

/** Card purchases become expenses: one stays a draft, one is reversed and voided. */
async function cardExpenses(companyId: string, employee: Person, label: string, currency: string): Promise<void> {
  const card = await issueCard(db(), encryptionKey, companyId, { userId: employee.id, kind: 'virtual' }, system, new Date());
  const network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  const purchase = (amount: string) => {
    const id = networkId('auth');
    return { id, sent: network.authorize({ id, cardId: card.id, amount, currency, channel: 'online', merchant: { name: `${label} Cafe`, mcc: '5814', country: 'DK' } }) };
  };
  const kept = purchase('19.00');
  expect((await kept.sent).body.approved).toBe(true);
  const reversed = purchase('23.00');
  expect((await reversed.sent).body.approved).toBe(true);
  await syncCardExpenses(db(), new Date());
  await network.event({ id: networkId('rev'), type: 'reversal', cardId: card.id, transactionId: reversed.id });
  await syncCardExpenses(db(), new Date());
}

/** Two approved expenses paid in one batch and a second batch made, the lot exported, then
 * more approved and owed (to a person with a bank account and to one without). */
async function payoutsAndExports(world: { admin: SessionClient; employee: Person; unpaid: Person }, travelId: string, label: string) {
  const { admin, employee, unpaid } = world;
  const paid = await approvedMileage(employee, travelId, '10', `${label} Drive 10`);
  const first = await admin.post('/api/v1/payout-batches', {});
  expect(first.status, first.text).toBe(201);
  expect((await admin.post(`/api/v1/payout-batches/${first.body.batch.id}/paid`)).body.state).toBe('paid');
  const inBatch = await approvedMileage(employee, travelId, '11', `${label} Drive 11`);
  const second = await admin.post('/api/v1/payout-batches', {});
  expect(second.status, second.text).toBe(201);
  const exportId = expect201(await admin.post('/api/v1/export-batches', { format: 'csv', from: today(), to: today() }));
  expect((await finishedExport(admin, exportId)).state).toBe('exported');
  const owed = await approvedMileage(employee, travelId, '12', `${label} Drive 12`);
  const owedWithoutAccount = await approvedMileage(unpaid, travelId, '13', `${label} Drive 13`);
  return { payoutBatchIds: [first.body.batch.id as string, second.body.batch.id as string], exportBatchId: exportId, expenseIds: [paid, inBatch, owed, owedWithoutAccount] };
}

async function populate(profile: Profile): Promise<ExpenseWorld> {
  const tenant = await createTenant(server, { name: profile.name, currency: profile.currency, adminEmail: `admin@${profile.label}.test` });
  const admin = tenant.client;
  await fundWallet(server, tenant.company.id, { amount: '5000.00', currency: profile.currency, bankReference: `${profile.label}-funds`, receivedOn: today() });
  const teamId = expect201(await admin.post('/api/v1/teams', { name: `${profile.label} Sales` }));
  const employee = await addPerson(admin, { email: `spender@${profile.label}.test`, name: `${profile.label} Spender`, roles: ['employee'], teamId });
  const unpaid = await addPerson(admin, { email: `driver@${profile.label}.test`, name: `${profile.label} Driver`, roles: ['employee'] });
  const reviewer = await addPerson(admin, { email: `reviewer@${profile.label}.test`, name: `${profile.label} Reviewer`, roles: ['reviewer'] });
  const books = await setUpBooks({ admin, teamId, reviewerId: reviewer.id, tenant }, profile);
  for (const [person, iban] of [[admin, profile.payeeIbans[0]], [employee.client, profile.payeeIbans[1]]] as const) {
    const payee = await person.request('PUT', '/api/v1/payee-account', { holderName: `${profile.label} payee`, iban });
    expect(payee.status, payee.text).toBe(200);
  }
  const receiptId = expect201(await uploadReceipt(employee.client, pdf(`${profile.label} stationery`)));
  const draftId = expect201(await employee.client.post('/api/v1/expenses', {
    kind: 'out_of_pocket', spentOn: today(), merchant: `${profile.label} Stationery`, amount: '12.50', receiptId,
    categoryId: books.travelId, taxCodeId: books.taxCodeIds[0], tagIds: [books.tagIds[0]], note: `${profile.label} draft`,
  }));
  const reviewed = await reviewedExpenses({ admin, employee, reviewer }, books, profile);
  const paidOut = await payoutsAndExports({ admin, employee, unpaid }, books.travelId, profile.label);
  await cardExpenses(tenant.company.id, employee, profile.label, profile.currency);
  const key = await createApiKey(admin, `${profile.label} books`, apiKeyScopes);
  const expenses = await db().selectFrom('expenses').select('id').where('company_id', '=', tenant.company.id).execute();
  expect(expenses.length).toBe(1 + reviewed.expenseIds.length + paidOut.expenseIds.length + 2);
  return {
    profile, tenant, companyId: tenant.company.id, admin, apiKey: key.client, teamId, employee, unpaid, reviewerId: reviewer.id,
    ...books, receiptIds: [receiptId], draftId, inReviewId: reviewed.inReviewId, expenseIds: expenses.map((row) => row.id),
    payoutBatchIds: paidOut.payoutBatchIds, exportBatchId: paidOut.exportBatchId,
  };
}

const expectOnlyCompanyA = (table: CompanyTable, ids: string[]) => expectOnlyCompany(db(), a.companyId, table, ids);
const minorUnits = (money: { amount: string }) => BigInt(money.amount.replace('.', ''));

/** Everything stored about one of A's expenses, to prove a refused change changed nothing. */
async function rowsOfExpense(id: string): Promise<string[]> {
  const rows: string[] = [];
  for (const [table, column] of [['expenses', 'id'], ['expense_lines', 'expense_id'], ['expense_tags', 'expense_id'], ['expense_events', 'expense_id'], ['receipts', 'expense_id']] as const) {
    const found = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t where ${sql.ref(column)} = ${id} order by 1`.execute(db());
    rows.push(...found.rows.map((row) => `${table}: ${row.row}`));
  }
  return rows;
}

const reviewActions: [string, unknown][] = [['submit', undefined], ['approve', { comment: 'fine' }], ['reject', { comment: 'no' }], ['request-changes', { comment: 'why?' }], ['reopen', undefined], ['comments', { comment: 'taken over' }]];

const booksCases: TenancyCases = {
  'GET /api/v1/expense-settings': async ({ client }) => {
    const response = await client.get('/api/v1/expense-settings');
    expect({ status: response.status, mileageRate: response.body.mileageRate, debtor: response.body.debtor?.iban, organisation: response.body.organisationNumber })
      .toEqual({ status: 200, mileageRate: { amount: '0.38', currency: 'EUR' }, debtor: alder.debtorIban, organisation: 'alder-org' });
  },

  'PATCH /api/v1/expense-settings': async ({ client }) => {
    const response = await client.patch('/api/v1/expense-settings', { mileageRate: alder.mileageRate, reviewThreshold: alder.reviewThreshold });
    expect({ status: response.status, mileageRate: response.body.mileageRate, threshold: response.body.reviewThreshold })
      .toEqual({ status: 200, mileageRate: { amount: '0.38', currency: 'EUR' }, threshold: { amount: '200.00', currency: 'EUR' } });
  },

  'GET /api/v1/expense-categories': async ({ client }) => {
    const response = await client.get('/api/v1/expense-categories');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('expense_categories', idsOf(response));
  },

  'POST /api/v1/expense-categories': async ({ client, kind }) => {
    const intoB = await client.post('/api/v1/expense-categories', { accountCode: '7777', name: 'For B\'s team', allowedTeamIds: [b.teamId] });
    expectNotFound(intoB);
    expect(intoB.body.field).toBe('allowedTeamIds');
    expect(await db().selectFrom('expense_categories').select('id').where('account_code', '=', '7777').execute()).toEqual([]);
    // Account codes are unique within a company only: B's code is free in A, and lands in A.
    const created = await client.post('/api/v1/expense-categories', { accountCode: kind === 'user' ? birch.extraCategoryCode : '7001', name: 'Mine' });
    await expectOnlyCompanyA('expense_categories', [expect201(created)]);
  },

  'PATCH /api/v1/expense-categories/:id': async ({ client }) => {
    await expectEachNotFound(b.categoryIds, (id) => client.patch(`/api/v1/expense-categories/${id}`, { name: 'Taken over', allowedTeamIds: null, active: false }));
    const before = await client.get('/api/v1/expense-categories');
    const intoB = await client.patch(`/api/v1/expense-categories/${a.categoryIds[2]}`, { allowedTeamIds: [b.teamId] });
    expectNotFound(intoB);
    expect(intoB.body.field).toBe('allowedTeamIds');
    expect((await client.get('/api/v1/expense-categories')).body).toEqual(before.body);
  },

  'GET /api/v1/tax-codes': async ({ client }) => {
    const response = await client.get('/api/v1/tax-codes');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('tax_codes', idsOf(response));
  },

  'POST /api/v1/tax-codes': async ({ client, kind }) => {
    const body = kind === 'user' ? { code: birch.extraTaxCode, name: 'Mine', rate: '12', vatAccountCode: '2641' } : { code: 'ZERO', name: 'No VAT', rate: '0' };
    await expectOnlyCompanyA('tax_codes', [expect201(await client.post('/api/v1/tax-codes', body))]);
  },

  'PATCH /api/v1/tax-codes/:id': async ({ client }) => expectEachNotFound(b.taxCodeIds, (id) => client.patch(`/api/v1/tax-codes/${id}`, { active: false })),

  'GET /api/v1/tag-groups': async ({ client }) => {
    const response = await client.get('/api/v1/tag-groups');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('tag_groups', idsOf(response));
    await expectOnlyCompanyA('tags', (response.body.items as { tags: { id: string }[] }[]).flatMap((group) => group.tags.map((tag) => tag.id)));
  },

  'POST /api/v1/tag-groups': async ({ client, kind }) => {
    const created = await client.post('/api/v1/tag-groups', { name: kind === 'user' ? birch.extraTagGroup : 'Region' });
    await expectOnlyCompanyA('tag_groups', [expect201(created)]);
  },

  'POST /api/v1/tag-groups/:id/tags': async ({ client }) => {
    await expectEachNotFound(b.tagGroupIds, (id) => client.post(`/api/v1/tag-groups/${id}/tags`, { name: 'Intruder' }));
    expect(await db().selectFrom('tags').select('id').where('name', '=', 'Intruder').execute()).toEqual([]);
  },

  'PATCH /api/v1/tags/:id': async ({ client }) => expectEachNotFound(b.tagIds, (id) => client.patch(`/api/v1/tags/${id}`, { active: false })),

  'GET /api/v1/per-diem-rates': async ({ client }) => {
    const response = await client.get('/api/v1/per-diem-rates');
    expect({ status: response.status, items: response.body.items }).toEqual({ status: 200, items: [{ country: 'DE', dailyRate: { amount: '28.00', currency: 'EUR' } }] });
  },

  'PUT /api/v1/per-diem-rates/:country': async ({ client }) => {
    // B has a rate for DE too: A sets its own.
    const response = await client.request('PUT', '/api/v1/per-diem-rates/DE', { dailyRate: alder.dailyRates.DE });
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { country: 'DE', dailyRate: { amount: '28.00', currency: 'EUR' } } });
  },

  'DELETE /api/v1/per-diem-rates/:country': async ({ client }) => {
    // Only B has a rate for SE.
    expectNotFound(await client.delete('/api/v1/per-diem-rates/SE'));
  },

  'GET /api/v1/team-reviewers': async ({ client }) => {
    const response = await client.get('/api/v1/team-reviewers');
    expect({ status: response.status, items: response.body.items }).toEqual({ status: 200, items: [{ teamId: a.teamId, userId: a.reviewerId }] });
  },

  'PUT /api/v1/team-reviewers/:id': async ({ client }) => {
    for (const userIds of [[], [b.reviewerId], [a.reviewerId]]) expectNotFound(await client.request('PUT', `/api/v1/team-reviewers/${b.teamId}`, { userIds }));
    // B's reviewer cannot review A's team either; A's team keeps its reviewer.
    expectNotFound(await client.request('PUT', `/api/v1/team-reviewers/${a.teamId}`, { userIds: [b.reviewerId] }));
    expectNotFound(await client.request('PUT', `/api/v1/team-reviewers/${a.teamId}`, { userIds: [a.reviewerId, b.reviewerId] }));
    expect((await client.get('/api/v1/team-reviewers')).body.items).toEqual([{ teamId: a.teamId, userId: a.reviewerId }]);
    const own = await client.request('PUT', `/api/v1/team-reviewers/${a.teamId}`, { userIds: [a.reviewerId] });
    expect({ status: own.status, body: own.body }).toEqual({ status: 200, body: { teamId: a.teamId, userIds: [a.reviewerId] } });
  },

  'GET /api/v1/review-rules': async ({ client }) => {
    const response = await client.get('/api/v1/review-rules');
    expect({ status: response.status, names: response.body.steps.map((step: { name: string }) => step.name), teams: response.body.steps[1].teamIds, owners: response.body.budgetOwners })
      .toEqual({ status: 200, names: ['alder team review', 'alder second approval'], teams: [a.teamId], owners: [{ teamId: a.teamId, userId: a.reviewerId }] });
  },

  'PUT /api/v1/review-rules': async ({ client }) => {
    const own = (await client.get('/api/v1/review-rules')).body;
    const mine = { policyApproves: true, steps: own.steps.map((step: { id: string; name: string; approver: string; teamIds: string[] | null; amountAbove: { amount: string } | null }) => ({ ...step, amountAbove: step.amountAbove?.amount ?? null })), budgetOwners: own.budgetOwners };
    const attempts: [Record<string, unknown>, string][] = [
      [{ ...mine, steps: [{ name: 'For B', teamIds: [b.teamId], approver: 'admin' }] }, 'steps.0.teamIds'],
      [{ ...mine, steps: [{ name: 'For both', teamIds: [a.teamId, b.teamId], approver: 'admin' }] }, 'steps.0.teamIds'],
      [{ ...mine, budgetOwners: [{ teamId: b.teamId, userId: a.reviewerId }] }, 'budgetOwners.0.teamId'],
    ];
    for (const [rules, field] of attempts) {
      const response = await client.request('PUT', '/api/v1/review-rules', rules);
      expectNotFound(response, { what: field });
      expect(response.body.field).toBe(field);
    }
    // B's reviewer cannot own A's team's budget.
    expectNotFound(await client.request('PUT', '/api/v1/review-rules', { ...mine, budgetOwners: [{ teamId: a.teamId, userId: b.reviewerId }] }));
    expect((await client.get('/api/v1/review-rules')).body).toEqual(own);
    const kept = await client.request('PUT', '/api/v1/review-rules', mine);
    expect({ status: kept.status, steps: kept.body.steps, owners: kept.body.budgetOwners }).toEqual({ status: 200, steps: own.steps, owners: own.budgetOwners });
  },

  'GET /api/v1/closed-periods': async ({ client }) => {
    const response = await client.get('/api/v1/closed-periods');
    expect(response.status).toBe(200);
    const own = await db().selectFrom('closed_periods').select('period').where('company_id', '=', a.companyId).orderBy('period', 'desc').execute();
    expect(response.body.items.map((row: { period: string }) => row.period)).toEqual(own.map((row) => row.period));
    expect(response.body.items.map((row: { period: string }) => row.period)).not.toContain('2020-01');
  },

  'POST /api/v1/closed-periods': async ({ client, kind }) => {
    // Months B closed are open in A: closing one closes it in A.
    const period = kind === 'user' ? '2020-03' : '2020-04';
    const response = await client.post('/api/v1/closed-periods', { period });
    expect({ status: response.status, period: response.body.period }).toEqual({ status: 201, period });
    const rows = await db().selectFrom('closed_periods').select('company_id').where('period', '=', period).orderBy('company_id').execute();
    expect(rows.map((row) => row.company_id).sort()).toEqual([a.companyId, b.companyId].sort());
  },

  'DELETE /api/v1/closed-periods/:period': async ({ client }) => {
    // 2020-01 is closed in B only (and A never closes it).
    expectNotFound(await client.delete('/api/v1/closed-periods/2020-01'));
  },

  'GET /api/v1/payee-account': async ({ client, kind }) => {
    const response = await client.get('/api/v1/payee-account');
    if (kind === 'apiKey') return expectForbidden(response);
    expect({ status: response.status, iban: response.body.iban }).toEqual({ status: 200, iban: alder.payeeIbans[0] });
  },

  'PUT /api/v1/payee-account': async ({ client, kind }) => {
    const response = await client.request('PUT', '/api/v1/payee-account', { holderName: 'alder payee', iban: alder.payeeIbans[0] });
    if (kind === 'apiKey') return expectForbidden(response);
    expect({ status: response.status, iban: response.body.iban }).toEqual({ status: 200, iban: alder.payeeIbans[0] });
    const rows = await db().selectFrom('payee_accounts').select(['company_id', 'user_id']).where('iban', '=', alder.payeeIbans[0]).execute();
    expect(rows).toEqual([{ company_id: a.companyId, user_id: a.tenant.admin.id }]);
  },
};

const expenseCases: TenancyCases = {
  'GET /api/v1/expenses': async ({ client }) => {
    const response = await client.get('/api/v1/expenses?limit=200');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('expenses', idsOf(response));
    for (const userId of [b.employee.id, b.unpaid.id, b.tenant.admin.id]) {
      const filtered = await client.get(`/api/v1/expenses?userId=${userId}`);
      expect({ status: filtered.status, items: filtered.body.items }).toEqual({ status: 200, items: [] });
    }
  },

  'POST /api/v1/expenses': async ({ client, kind }) => {
    const base = { kind: 'out_of_pocket', spentOn: today(), merchant: 'Reaches into B', amount: '10.00' };
    const attempts: [Record<string, unknown>, string][] = [
      [{ categoryId: b.travelId }, 'lines.0.categoryId'],
      [{ categoryId: a.travelId, taxCodeId: b.taxCodeIds[0] }, 'lines.0.taxCodeId'],
      [{ tagIds: [b.tagIds[0]] }, 'tagIds'],
      [{ receiptId: b.receiptIds[0] }, 'receiptId'],
    ];
    for (const [fields, field] of attempts) {
      const response = await client.post('/api/v1/expenses', { ...base, ...fields });
      if (kind === 'apiKey') {
        expectForbidden(response);
        continue;
      }
      expectNotFound(response, { what: field });
      expect(response.body.field).toBe(field);
    }
    // SE has a per diem rate in B only.
    const perDiem = await client.post('/api/v1/expenses', { kind: 'per_diem', spentOn: today(), country: 'SE', days: 1 });
    if (kind === 'apiKey') expectForbidden(perDiem);
    else expect({ status: perDiem.status, field: perDiem.body.field }).toEqual({ status: 400, field: 'country' });
    expect(await db().selectFrom('expenses').select('id').where('merchant', '=', 'Reaches into B').execute()).toEqual([]);
    // A's mileage is paid at A's rate, in A's currency.
    const drive = await client.post('/api/v1/expenses', { kind: 'mileage', spentOn: today(), distanceKm: '5', merchant: 'alder Own drive', categoryId: a.travelId });
    if (kind === 'apiKey') return expectForbidden(drive);
    expect({ status: drive.status, amount: drive.body.amount, rate: drive.body.mileage?.ratePerKm }).toEqual({ status: 201, amount: { amount: '1.90', currency: 'EUR' }, rate: { amount: '0.38', currency: 'EUR' } });
    await expectOnlyCompanyA('expenses', [drive.body.id]);
  },

  'GET /api/v1/expenses/:id': async ({ client }) => expectEachNotFound(b.expenseIds, (id) => client.get(`/api/v1/expenses/${id}`)),

  'PATCH /api/v1/expenses/:id': async ({ client, kind }) => {
    await expectEachNotFound(b.expenseIds, (id) => client.patch(`/api/v1/expenses/${id}`, { note: 'taken over' }));
    // B's books cannot be used on A's expense, and the refused change leaves it as it was.
    const before = await rowsOfExpense(a.draftId);
    const attempts: [Record<string, unknown>, string][] = [
      [{ categoryId: b.travelId }, 'lines.0.categoryId'],
      [{ taxCodeId: b.taxCodeIds[0] }, 'lines.0.taxCodeId'],
      [{ tagIds: [b.tagIds[0]] }, 'tagIds'],
      [{ tagIds: [a.tagIds[0], b.tagIds[2]] }, 'tagIds'],
      [{ lines: [{ amount: '10.00', categoryId: a.travelId, taxCodeId: null }, { amount: '2.50', categoryId: b.categoryIds[1], taxCodeId: null }] }, 'lines.1.categoryId'],
      [{ receiptId: b.receiptIds[0] }, 'receiptId'],
    ];
    for (const [patch, field] of attempts) {
      const response = await client.patch(`/api/v1/expenses/${a.draftId}`, { note: 'with B\'s books', ...patch });
      expectNotFound(response, { what: field });
      expect(response.body.field).toBe(field);
    }
    expect(await rowsOfExpense(a.draftId)).toEqual(before);
    const own = await client.patch(`/api/v1/expenses/${a.draftId}`, { note: `checked by ${kind}`, categoryId: a.categoryIds[1] });
    expect({ status: own.status, note: own.body.note, category: own.body.lines?.[0]?.categoryId }).toEqual({ status: 200, note: `checked by ${kind}`, category: a.categoryIds[1] });
  },

  'GET /api/v1/expenses/:id/history': async ({ client }) => expectEachNotFound(b.expenseIds, (id) => client.get(`/api/v1/expenses/${id}/history`)),

  'GET /api/v1/expense-reviews': async ({ client, kind }) => {
    const response = await client.get('/api/v1/expense-reviews?limit=200');
    if (kind === 'apiKey') return expectForbidden(response);
    expect(response.status).toBe(200);
    expect(idsOf(response)).toContain(a.inReviewId);
    await expectOnlyCompanyA('expenses', idsOf(response));
  },
};
for (const [action, body] of reviewActions) {
  expenseCases[`POST /api/v1/expenses/:id/${action}`] = async ({ client }) => expectEachNotFound(b.expenseIds, (id) => client.post(`/api/v1/expenses/${id}/${action}`, body));
}

const payoutCases: TenancyCases = {
  'GET /api/v1/payouts/owed': async ({ client }) => {
    const response = await client.get('/api/v1/payouts/owed');
    expect(response.status).toBe(200);
    const items = response.body.items as { userId: string; amount: { currency: string } }[];
    expect(items.map((item) => item.userId)).toContain(a.unpaid.id);
    await expectOnlyCompanyA('users', items.map((item) => item.userId));
    expect(new Set(items.map((item) => item.amount.currency))).toEqual(new Set(['EUR']));
  },

  'POST /api/v1/payout-batches': async ({ client, kind }) => {
    // A owes something new; B owes money to a person with a bank account too, which stays B's.
    await approvedMileage(a.employee, a.travelId, kind === 'user' ? '21' : '22', `alder Late drive ${kind}`);
    const response = await client.post('/api/v1/payout-batches', {});
    expect(response.status, response.text).toBe(201);
    const { batch, skipped } = response.body;
    await expectOnlyCompanyA('payout_batches', [batch.id]);
    await expectOnlyCompanyA('users', [...batch.items, ...skipped].map((item: { userId: string }) => item.userId));
    const taken = await db().selectFrom('expenses').select(['company_id', 'amount']).where('payout_batch_id', '=', batch.id).execute();
    expect(new Set(taken.map((row) => row.company_id))).toEqual(new Set([a.companyId]));
    expect(taken.reduce((sum, row) => sum + row.amount, 0n)).toBe(minorUnits(batch.total));
  },

  'GET /api/v1/payout-batches': async ({ client }) => {
    const response = await client.get('/api/v1/payout-batches?limit=200');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('payout_batches', idsOf(response));
  },

  'GET /api/v1/payout-batches/:id': async ({ client }) => {
    await expectEachNotFound(b.payoutBatchIds, (id) => client.get(`/api/v1/payout-batches/${id}`));
    const latest = await client.get('/api/v1/payout-batches/latest');
    expect(latest.status).toBe(200);
    await expectOnlyCompanyA('payout_batches', [latest.body.id]);
  },

  'GET /api/v1/payout-batches/:id/pain001': async ({ client }) => {
    await expectEachNotFound(b.payoutBatchIds, (id) => client.get(`/api/v1/payout-batches/${id}/pain001`));
    const own = await client.get(`/api/v1/payout-batches/${a.payoutBatchIds[0]}/pain001`);
    expect(own.status).toBe(200);
    expect(own.text).toContain(`<IBAN>${alder.debtorIban}</IBAN>`);
    for (const iban of [birch.debtorIban, ...birch.payeeIbans]) expect(own.text).not.toContain(iban);
  },

  'POST /api/v1/payout-batches/:id/paid': async ({ client }) => expectEachNotFound(b.payoutBatchIds, (id) => client.post(`/api/v1/payout-batches/${id}/paid`)),
};

const exportCases: TenancyCases = {
  'POST /api/v1/export-batches': async ({ client }) => {
    // B has approved expenses of today waiting to be exported: they stay B's.
    const created = await client.post('/api/v1/export-batches', { format: 'hledger', from: today(), to: today() });
    await expectOnlyCompanyA('export_batches', [expect201(created)]);
    const finished = await finishedExport(client, created.body.id);
    expect(finished.state, finished.error).toBe('exported');
    const taken = await db().selectFrom('expenses').select('company_id').where('export_batch_id', '=', created.body.id).execute();
    expect(taken.map((row) => row.company_id)).toEqual(Array.from({ length: finished.expenseCount }, () => a.companyId));
    expect((await client.get(finished.fileUrl)).text.toLowerCase()).not.toContain('birch');
  },

  'GET /api/v1/export-batches': async ({ client }) => {
    const response = await client.get('/api/v1/export-batches?limit=200');
    expect(response.status).toBe(200);
    await expectOnlyCompanyA('export_batches', idsOf(response));
  },

  'GET /api/v1/export-batches/:id': async ({ client }) => {
    expectNotFound(await client.get(`/api/v1/export-batches/${b.exportBatchId}`));
    const latest = await client.get('/api/v1/export-batches/latest');
    expect(latest.status).toBe(200);
    await expectOnlyCompanyA('export_batches', [latest.body.id]);
  },

  'GET /api/v1/export-batches/:id/file': async ({ client }) => {
    expectNotFound(await client.get(`/api/v1/export-batches/${b.exportBatchId}/file`));
    const own = await client.get(`/api/v1/export-batches/${a.exportBatchId}/file`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('alder Drive 10');
    expect(own.text.toLowerCase()).not.toContain('birch');
  },
};

// One case per route: what a person or API key of company A tries against company B.
const cases: TenancyCases = { ...booksCases, ...expenseCases, ...payoutCases, ...exportCases };

beforeAll(async () => {
  // No OCR: what receipts say does not matter here, and reading would change B's rows meanwhile.
  server = await startTestServer({ config: { processorSecret, encryptionKey, receipts: { ...testConfig().receipts, readers: 0 } } });
  a = await populate(alder);
  b = await populate(birch);
});

afterAll(async () => {
  await server?.close();
});

describe('expense tenancy', () => {
  it('sets up company B with rows of every kind and expenses in every state', async () => {
    await expectRowsIn(db(), b.companyId, [
      'expense_settings', 'expense_categories', 'tax_codes', 'tag_groups', 'tags', 'per_diem_rates', 'team_reviewers', 'closed_periods', 'payee_accounts',
      'payout_batches', 'payout_items', 'export_batches', 'expenses', 'expense_lines', 'expense_tags', 'expense_events',
      'review_rules', 'review_steps', 'team_budget_owners', 'expense_review_rounds', 'expense_approvals',
    ]);
    const expenses = await db().selectFrom('expenses').select(['kind', 'state', 'reimbursement_state', 'export_state']).where('company_id', '=', b.companyId).execute();
    expect(new Set(expenses.map((row) => row.state))).toEqual(new Set(['draft', 'in_review', 'changes_requested', 'rejected', 'approved', 'voided']));
    expect(new Set(expenses.map((row) => row.kind))).toEqual(new Set(['out_of_pocket', 'mileage', 'card']));
    expect(new Set(expenses.map((row) => row.reimbursement_state))).toEqual(new Set(['none', 'owed', 'in_batch', 'paid']));
    expect(new Set(expenses.map((row) => row.export_state))).toEqual(new Set(['not_exported', 'exported']));
    const batches = await db().selectFrom('payout_batches').select('state').where('company_id', '=', b.companyId).orderBy('id').execute();
    expect(batches.map((row) => row.state)).toEqual(['paid', 'created']);
  });

  describeTenancy({
    suite: 'expenses',
    server: () => server,
    actors: () => ({ user: a.admin, apiKey: a.apiKey }),
    untouched: { 'company B': () => b.companyId },
    cases,
  });

  it('still serves company B its own books, expenses and files afterwards', async () => {
    const settings = await b.admin.get('/api/v1/expense-settings');
    expect(settings.body.mileageRate).toEqual({ amount: '3.79', currency: 'DKK' });
    expect(idsOf(await b.admin.get('/api/v1/expenses?limit=200')).sort()).toEqual([...b.expenseIds].sort());
    expect((await b.admin.get(`/api/v1/export-batches/${b.exportBatchId}/file`)).text).toContain('birch Drive 10');
    const batch = await b.admin.get(`/api/v1/payout-batches/${b.payoutBatchIds[1]}`);
    expect({ state: batch.body.state, ibans: batch.body.items.map((item: { iban: string }) => item.iban) }).toEqual({ state: 'created', ibans: [birch.payeeIbans[1]] });
  });
});
