// The demo company shows every step from purchase to the books: expenses in every state, a
// paid payout batch with more owed since, and an exported period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import type { RunningServer } from '../../src/server/server.js';
import { signIn, type SessionClient } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';

let server: RunningServer;
let admin: SessionClient;

beforeAll(async () => {
  server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  const login = demoLogins.find((person) => person.role === 'admin')!;
  admin = await signIn(server.app, login.email, login.password);
});
afterAll(async () => {
  await server?.close();
});

describe('the demo company\'s expenses', () => {
  it('has expenses in every state and of every kind', async () => {
    const expenses = (await admin.get('/api/v1/expenses?limit=200')).body.items as { state: string; kind: string; reimbursement: { state: string } }[];
    expect(new Set(expenses.map((e) => e.state))).toEqual(new Set(['draft', 'in_review', 'changes_requested', 'approved', 'rejected', 'voided']));
    expect(new Set(expenses.map((e) => e.kind))).toEqual(new Set(['card', 'out_of_pocket', 'mileage', 'per_diem']));
    expect(expenses.some((e) => e.reimbursement.state === 'paid')).toBe(true);
    expect(expenses.some((e) => e.reimbursement.state === 'owed')).toBe(true);
  });

  it('has budgets: an enforced one for a team with room left, one watched at thresholds, and one for a project tag', async () => {
    const budgets = (await admin.get('/api/v1/budgets')).body.items as { name: string; scope: string; enforced: boolean; remaining: { amount: string }; spent: { amount: string }; pending: { amount: string }; subjectName: string }[];
    expect(budgets.map((budget) => [budget.name, budget.scope, budget.subjectName, budget.enforced])).toEqual([
      ['Design this quarter', 'team', 'Design', true],
      ['Sales travel', 'team', 'Sales', false],
      ['Project Aurora', 'tag', 'Project: Aurora', false],
    ]);
    // The demo's purchases fall in the weeks before today: on any date, Design's enforced
    // quarter leaves room for a simulated purchase.
    const design = budgets[0]!;
    expect(Number(design.remaining.amount)).toBeGreaterThan(0);
    expect(Number(design.spent.amount) + Number(design.pending.amount)).toBeGreaterThanOrEqual(0);
  });

  it('has a paid payout batch, an exported period and a balanced ledger', async () => {
    const batches = (await admin.get('/api/v1/payout-batches')).body.items as { state: string }[];
    expect(batches.map((b) => b.state)).toEqual(['paid']);
    const exports = (await admin.get('/api/v1/export-batches')).body.items as { state: string; expenseCount: number }[];
    expect(exports[0]).toMatchObject({ state: 'exported' });
    expect(exports[0]!.expenseCount).toBeGreaterThan(0);
    const queue = (await admin.get('/api/v1/expense-reviews')).body.items as { merchant: string }[];
    expect(queue.map((e) => e.merchant)).toContain('Scandic Hotels');
    expect((await verifyLedger(server.database.db)).ok).toBe(true);
  });

  it('pays a subscription by card that the company can find', async () => {
    const found = (await admin.get('/api/v1/subscriptions')).body.items as { merchantName: string; cadence: string; charges: number; state: string }[];
    expect(found).toEqual([expect.objectContaining({ merchantName: 'FIGMA.COM', cadence: 'monthly', charges: 3, state: 'active' })]);
  });
});
