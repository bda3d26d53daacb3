// Review that holds, over the API: an expense sent back returns to the reviewer who sent it
// back and is approved only once they approve it (unless the change removed every flag and
// policy approves it, which the history says); a company's review rules add steps (a second,
// different approver above an amount, a team's budget owner), each approval an event; nobody
// approves their own expense; and the rules themselves are read by everyone and replaced by
// a bookkeeper, checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { addPerson, createTenant, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';

const today = () => new Date().toISOString().slice(0, 10);
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);

interface Person {
  id: string;
  client: SessionClient;
}

let server: RunningServer;
let tenant: Tenant;
let admin: Person;
let bookkeeper: SessionClient;
/** Rita and Otto review the Sales team; Vera reviews no team in particular; Bo owns Sales' budget. */
let rita: Person;
let otto: Person;
let vera: Person;
let bo: Person;
/** Emma is in Sales; Ivan in IT, which names no reviewers. */
let emma: Person;
let ivan: Person;
let salesId: string;
let travelId: string;

const noRules = { policyApproves: true, steps: [], budgetOwners: [] };

async function setRules(rules: Record<string, unknown>): Promise<ApiResponse> {
  const response = await bookkeeper.request('PUT', '/api/v1/review-rules', rules);
  expect(response.status, response.text).toBe(200);
  return response;
}

/** An out-of-pocket expense filed by the person (with a receipt or without one, which flags it). */
async function file(person: Person, merchant: string, amount: string, options: { receipt: boolean }): Promise<string> {
  const receiptId = options.receipt ? (await uploadReceipt(person.client, pdf(merchant))).body.id : undefined;
  const filed = await person.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant, amount, categoryId: travelId, ...(receiptId ? { receiptId } : {}) });
  expect(filed.status, filed.text).toBe(201);
  return filed.body.id as string;
}

const act = (person: Person, id: string, step: string, comment?: string) => person.client.post(`/api/v1/expenses/${id}/${step}`, comment === undefined ? {} : { comment });
const submit = (person: Person, id: string) => person.client.post(`/api/v1/expenses/${id}/submit`);
const history = async (id: string) => (await emma.client.get(`/api/v1/expenses/${id}/history`)).body.items as { action: string; actorId: string | null; comment: string | null; details: Record<string, unknown> }[];
const queueItem = async (person: Person, id: string) => ((await person.client.get('/api/v1/expense-reviews?limit=200')).body.items as { id: string; review: Record<string, unknown> }[]).find((item) => item.id === id);

beforeAll(async () => {
  server = await startTestServer({ config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  tenant = await createTenant(server, { name: 'Steps & Co', adminEmail: 'ada@steps.test', adminName: 'Ada Admin' });
  admin = { id: tenant.admin.id, client: tenant.client };
  salesId = (await admin.client.post('/api/v1/teams', { name: 'Sales' })).body.id;
  const itId = (await admin.client.post('/api/v1/teams', { name: 'IT' })).body.id;
  bookkeeper = (await addPerson(admin.client, { email: 'bea@steps.test', name: 'Bea Books', roles: ['bookkeeper'] })).client;
  rita = await addPerson(admin.client, { email: 'rita@steps.test', name: 'Rita Review', roles: ['reviewer'] });
  otto = await addPerson(admin.client, { email: 'otto@steps.test', name: 'Otto Other', roles: ['reviewer'] });
  vera = await addPerson(admin.client, { email: 'vera@steps.test', name: 'Vera Second', roles: ['reviewer'] });
  bo = await addPerson(admin.client, { email: 'bo@steps.test', name: 'Bo Budget', roles: ['reviewer'] });
  emma = await addPerson(admin.client, { email: 'emma@steps.test', name: 'Emma Spender', roles: ['employee'], teamId: salesId });
  ivan = await addPerson(admin.client, { email: 'ivan@steps.test', name: 'Ivan IT', roles: ['employee'], teamId: itId });
  travelId = (await bookkeeper.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id;
  expect((await bookkeeper.request('PUT', `/api/v1/team-reviewers/${salesId}`, { userIds: [rita.id, otto.id] })).status).toBe(200);
});

afterAll(async () => {
  await server?.close();
});

describe('a sent-back expense', () => {
  it('returns to review and to the reviewer who sent it back, and is approved only once they approve it', async () => {
    await setRules(noRules);
    const id = await file(emma, 'Taxi Nord', '80.00', { receipt: false });
    const submitted = await submit(emma, id);
    expect(submitted.body).toMatchObject({ state: 'in_review', flags: ['missing_receipt'], review: { round: 1, step: { key: 'team_review', position: 1, of: 1 }, returnedTo: null } });
    expect([...submitted.body.review.waitingFor].sort()).toEqual([rita.id, otto.id].sort());

    expect((await act(rita, id, 'request-changes', 'Which project was this for?')).body.state).toBe('changes_requested');
    expect((await emma.client.post(`/api/v1/expenses/${id}/comments`, { comment: 'Apollo; the receipt is lost' })).status).toBe(201);
    expect((await emma.client.patch(`/api/v1/expenses/${id}`, { note: 'Apollo' })).status).toBe(200);
    const again = await submit(emma, id);
    expect(again.body).toMatchObject({ state: 'in_review', review: { round: 2, returnedTo: rita.id, waitingFor: [rita.id], youMayDecide: false } });

    const notices = (await rita.client.get('/api/v1/notifications')).body.items as { kind: string; title: string; body: string }[];
    expect(notices.find((notice) => notice.title === 'Back for your review: Taxi Nord, 80.00 EUR')?.body).toBe('Emma Spender answered the changes you asked for.');
    expect((await queueItem(rita, id))?.review).toMatchObject({ returnedTo: rita.id, youMayDecide: true });
    expect((await queueItem(otto, id))?.review).toMatchObject({ returnedTo: rita.id, waitingFor: [rita.id], youMayDecide: false });

    const before = await history(id);
    for (const other of [otto, admin]) {
      const refused = await act(other, id, 'approve');
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'review_step_not_yours' });
      expect(refused.body.detail).toBe('it came back to the reviewer who asked for the changes: they decide it (step 1 of 1, "Team review"; it waits for Rita Review)');
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await act(otto, id, 'request-changes', 'Not mine to ask')).body.code).toBe('review_step_not_yours');
    expect(await history(id)).toEqual(before);

    const approved = await act(rita, id, 'approve');
    expect(approved.body).toMatchObject({ state: 'approved', review: null, reimbursement: { state: 'owed' } });
    const events = await history(id);
    expect(events.map((event) => event.action)).toEqual(['filed', 'submitted', 'changes_requested', 'commented', 'updated', 'submitted', 'approved', 'booked']);
    expect(events[5]!.details).toMatchObject({ from: 'changes_requested', to: 'in_review', reasons: ['flagged'], round: 2, returnedTo: rita.id, flagsWhenSentBack: ['missing_receipt'] });
    expect(events[6]).toMatchObject({ actorId: rita.id, details: { round: 2, step: { key: 'team_review', name: 'Team review' }, position: 1, of: 1 } });
  });

  it('is approved by policy when the change removed every flag, in a company without rules, and the history says so', async () => {
    await setRules(noRules);
    const id = await file(emma, 'Kiosk Syd', '12.00', { receipt: false });
    expect((await submit(emma, id)).body.state).toBe('in_review');
    expect((await act(rita, id, 'request-changes', 'Please add the receipt')).body.state).toBe('changes_requested');
    const receiptId = (await uploadReceipt(emma.client, pdf('kiosk'))).body.id;
    expect((await emma.client.patch(`/api/v1/expenses/${id}`, { receiptId })).body.flags).toEqual([]);
    const submitted = await submit(emma, id);
    expect(submitted.body).toMatchObject({ state: 'approved', flags: [], review: null });
    const last = (await history(id)).find((event) => event.action === 'approved_on_submit');
    expect(last?.details).toEqual({ from: 'changes_requested', to: 'approved', flags: [], approvedBy: 'policy', flagsWhenSentBack: ['missing_receipt'] });
    // The reviewer who sent it back was not asked again.
    const notices = (await rita.client.get('/api/v1/notifications')).body.items as { title: string }[];
    expect(notices.some((notice) => notice.title.startsWith('Back for your review: Kiosk Syd'))).toBe(false);
  });

  it('goes back to review when flags remain, even after every flag it was sent back with is gone', async () => {
    await setRules({ ...noRules, policyApproves: false });
    const id = await file(emma, 'Printer shop', '40.00', { receipt: true });
    expect((await submit(emma, id)).body).toMatchObject({ state: 'in_review', flags: [] });
    expect((await act(otto, id, 'request-changes', 'Which printer?')).body.state).toBe('changes_requested');
    const again = await submit(emma, id);
    expect(again.body).toMatchObject({ state: 'in_review', review: { returnedTo: otto.id, waitingFor: [otto.id] } });
    expect((await history(id)).at(-1)?.details).toMatchObject({ reasons: ['policy_approval_off'], returnedTo: otto.id });
    expect((await act(rita, id, 'approve')).status).toBe(403);
    expect((await act(otto, id, 'approve')).body.state).toBe('approved');
  });
});

describe('approval steps', () => {
  it('asks two different approvers for an expense above the amount, each approval an event', async () => {
    await setRules({ policyApproves: true, steps: [{ name: 'Team review', approver: 'team_reviewer' }, { name: 'Second approval', amountAbove: '1000.00', approver: 'any_reviewer' }], budgetOwners: [] });
    // Clean and below the amount: policy approves it at once.
    expect((await submit(emma, await file(emma, 'Hotel small', '500.00', { receipt: true }))).body.state).toBe('approved');

    const id = await file(emma, 'Hotel big', '1500.00', { receipt: true });
    const submitted = await submit(emma, id);
    expect(submitted.body).toMatchObject({ state: 'in_review', flags: [], review: { step: { name: 'Team review', position: 1, of: 2 } } });
    expect((await history(id)).at(-1)?.details).toMatchObject({ reasons: ['amount_step'], position: 1, of: 2 });

    const first = await act(rita, id, 'approve', 'Fine by the team');
    expect(first.body).toMatchObject({ state: 'in_review', booked: false, review: { step: { name: 'Second approval', approver: 'any_reviewer', position: 2, of: 2 }, approvals: [{ stepName: 'Team review', userId: rita.id }] } });
    expect(first.body.review.waitingFor).not.toContain(rita.id);
    expect(first.body.review.waitingFor).toEqual(expect.arrayContaining([otto.id, vera.id, admin.id]));
    // Otto approving the first step as he saw it, after Rita did: not an approval of the second.
    const stale = await otto.client.post(`/api/v1/expenses/${id}/approve`, { stepKey: submitted.body.review.step.key });
    expect({ status: stale.status, code: stale.body.code, detail: stale.body.detail }).toEqual({ status: 409, code: 'expense_state_invalid', detail: 'the review moved on: it now waits for step 2 of 2, "Second approval"' });
    const twice = await act(rita, id, 'approve');
    expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 403, code: 'review_step_not_yours' });
    expect(twice.body.detail).toMatch(/^you approved an earlier step of this review: this step needs another person \(step 2 of 2, "Second approval"/);
    expect((await queueItem(vera, id))?.review).toMatchObject({ youMayDecide: true });

    const second = await act(vera, id, 'approve');
    expect(second.body).toMatchObject({ state: 'approved', booked: true, review: null });
    const events = (await history(id)).filter((event) => event.action === 'step_approved' || event.action === 'approved');
    expect(events.map((event) => [event.action, event.actorId, (event.details.step as { name: string }).name])).toEqual([
      ['step_approved', rita.id, 'Team review'],
      ['approved', vera.id, 'Second approval'],
    ]);
    expect(events[0]!.comment).toBe('Fine by the team');
    const rows = await server.database.db.selectFrom('expense_approvals').select(['step_key', 'user_id']).where('expense_id', '=', id).orderBy('approved_at').execute();
    expect(rows.map((row) => row.user_id)).toEqual([rita.id, vera.id]);
  });

  it('starts a new round from the first step after a request for changes, the step sent back from going to who sent it', async () => {
    await setRules({ policyApproves: true, steps: [{ name: 'Team review', approver: 'team_reviewer' }, { name: 'Second approval', amountAbove: '1000.00', approver: 'any_reviewer' }], budgetOwners: [] });
    const id = await file(emma, 'Conference', '1200.00', { receipt: true });
    await submit(emma, id);
    expect((await act(rita, id, 'approve')).body.review.step.position).toBe(2);
    expect((await act(vera, id, 'request-changes', 'Which conference?')).body).toMatchObject({ state: 'changes_requested', review: null });
    expect((await history(id)).at(-1)?.details).toMatchObject({ round: 1, step: { name: 'Second approval' }, position: 2, of: 2 });

    const again = await submit(emma, id);
    expect(again.body.review).toMatchObject({ round: 2, step: { name: 'Team review', position: 1 }, approvals: [], returnedTo: vera.id });
    expect([...again.body.review.waitingFor].sort()).toEqual([rita.id, otto.id].sort());
    // Rita approved the first step of the first round; this round asks her again.
    const first = await act(rita, id, 'approve');
    expect(first.body.review).toMatchObject({ step: { name: 'Second approval', position: 2 }, waitingFor: [vera.id] });
    expect((await act(otto, id, 'approve')).body.code).toBe('review_step_not_yours');
    expect((await act(vera, id, 'approve')).body.state).toBe('approved');
  });

  it('ends the round with a rejection: reopened and submitted again, it starts from the first step', async () => {
    await setRules({ policyApproves: true, steps: [{ name: 'Team review', approver: 'team_reviewer' }, { name: 'Second approval', amountAbove: '1000.00', approver: 'any_reviewer' }], budgetOwners: [] });
    const id = await file(emma, 'Limousine', '2000.00', { receipt: true });
    await submit(emma, id);
    await act(otto, id, 'approve');
    expect((await act(vera, id, 'reject', 'Take a taxi')).body.state).toBe('rejected');
    expect((await emma.client.post(`/api/v1/expenses/${id}/reopen`)).body.state).toBe('draft');
    const again = await submit(emma, id);
    expect(again.body.review).toMatchObject({ round: 2, step: { position: 1 }, approvals: [], returnedTo: null });
    const rounds = await server.database.db.selectFrom('expense_review_rounds').select(['round', 'ended_at']).where('expense_id', '=', id).orderBy('round').execute();
    expect(rounds.map((row) => [row.round, row.ended_at !== null])).toEqual([[1, true], [2, false]]);
  });

  it('waits for the team\'s budget owner, for that team\'s expenses only', async () => {
    await setRules({ policyApproves: true, steps: [{ name: 'Team review', approver: 'team_reviewer' }, { name: 'Sales budget', teamIds: [salesId], approver: 'budget_owner' }], budgetOwners: [{ teamId: salesId, userId: bo.id }] });
    const id = await file(emma, 'Trade fair', '300.00', { receipt: false });
    expect((await submit(emma, id)).body.review.step).toMatchObject({ name: 'Team review', position: 1, of: 2 });
    expect((await queueItem(bo, id))?.review).toMatchObject({ youMayDecide: false, waitingFor: [rita.id, otto.id].sort() });
    const first = await act(otto, id, 'approve');
    expect(first.body.review).toMatchObject({ step: { name: 'Sales budget', approver: 'budget_owner', position: 2 }, waitingFor: [bo.id] });
    const notices = (await bo.client.get('/api/v1/notifications')).body.items as { kind: string; title: string }[];
    expect(notices.some((notice) => notice.kind === 'expense_to_review' && notice.title === 'To review: Trade fair, 300.00 EUR')).toBe(true);
    for (const other of [rita, admin]) {
      const refused = await act(other, id, 'approve');
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'review_step_not_yours' });
    }
    expect((await act(admin, id, 'approve')).body.detail).toBe('this step needs the budget owner of the person\'s team (step 2 of 2, "Sales budget"; it waits for Bo Budget)');
    expect((await bo.client.post(`/api/v1/expenses/${id}/comments`, { comment: 'Within the fair budget' })).status).toBe(201);
    expect((await act(bo, id, 'approve')).body.state).toBe('approved');

    // IT's expense takes the company's team review only (the budget step is Sales'); IT names no
    // reviewers, so any reviewer decides it.
    const it = await file(ivan, 'Cables', '30.00', { receipt: false });
    expect((await submit(ivan, it)).body.review.step).toMatchObject({ name: 'Team review', position: 1, of: 1 });
    expect((await act(bo, it, 'approve')).body.state).toBe('approved');
  });

  it('never lets the owner approve their own expense, whatever their role', async () => {
    await setRules({ policyApproves: true, steps: [{ name: 'Anyone', approver: 'any_reviewer' }], budgetOwners: [] });
    for (const owner of [rita, admin]) {
      const id = await file(owner, `Own lunch of ${owner.id}`, '25.00', { receipt: false });
      const submitted = await submit(owner, id);
      expect(submitted.body).toMatchObject({ state: 'in_review', review: { youMayDecide: false } });
      expect(submitted.body.review.waitingFor).not.toContain(owner.id);
      const refused = await act(owner, id, 'approve');
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'forbidden' });
      expect(refused.body.detail).toMatch(/^nobody reviews their own expense/);
      expect((await queueItem(owner, id))).toBeUndefined();
      expect((await act(vera, id, 'approve')).body.state).toBe('approved');
    }
  });
});

describe('review rules', () => {
  it('are the defaults until a bookkeeper replaces them, and everyone reads them', async () => {
    const fresh = await createTenant(server, { name: 'Fresh rules', adminEmail: 'admin@fresh-rules.test' });
    expect((await fresh.client.get('/api/v1/review-rules')).body).toEqual({ policyApproves: true, steps: [], budgetOwners: [], updatedAt: null });
    const saved = await setRules({ policyApproves: false, steps: [{ name: ' Finance ', amountAbove: '5000', approver: 'admin' }], budgetOwners: [{ teamId: salesId, userId: bo.id }] });
    expect(saved.body).toMatchObject({ policyApproves: false, steps: [{ name: 'Finance', amountAbove: { amount: '5000.00', currency: 'EUR' }, teamIds: null, approver: 'admin' }], budgetOwners: [{ teamId: salesId, userId: bo.id }] });
    expect((await emma.client.get('/api/v1/review-rules')).body).toEqual(saved.body);
    // A step sent back with its id keeps it; one without gets a new one.
    const stepId = saved.body.steps[0].id as string;
    const again = await setRules({ policyApproves: false, steps: [{ name: 'First', approver: 'team_reviewer' }, { id: stepId, name: 'Finance', amountAbove: '5000', approver: 'admin' }], budgetOwners: [] });
    expect(again.body.steps.map((step: { id: string }) => step.id === stepId)).toEqual([false, true]);
  });

  it('refuse changes by people without expenses:manage, and wrong rules, writing nothing', async () => {
    const before = (await bookkeeper.get('/api/v1/review-rules')).body;
    for (const person of [rita, emma]) expect((await person.client.request('PUT', '/api/v1/review-rules', noRules)).status).toBe(403);
    const attempts: [Record<string, unknown>, number, string][] = [
      [{ ...noRules, steps: [{ name: 'X', teamIds: ['team_01J0000000000000000000000X'], approver: 'team_reviewer' }] }, 404, 'steps.0.teamIds'],
      [{ ...noRules, steps: [{ name: 'X', teamIds: [], approver: 'team_reviewer' }] }, 400, 'steps.0.teamIds'],
      [{ ...noRules, steps: [{ name: '  ', approver: 'admin' }] }, 400, 'steps.0.name'],
      [{ ...noRules, steps: [{ name: 'X', amountAbove: '12.345', approver: 'admin' }] }, 400, 'steps.0.amountAbove'],
      [{ ...noRules, budgetOwners: [{ teamId: salesId, userId: emma.id }] }, 400, 'budgetOwners.0.userId'],
      [{ ...noRules, budgetOwners: [{ teamId: salesId, userId: bo.id }, { teamId: salesId, userId: rita.id }] }, 400, 'budgetOwners'],
    ];
    for (const [rules, status, field] of attempts) {
      const refused = await bookkeeper.request('PUT', '/api/v1/review-rules', rules);
      expect({ status: refused.status, field: refused.body.field }).toEqual({ status, field });
    }
    const unknownApprover = await bookkeeper.request('PUT', '/api/v1/review-rules', { ...noRules, steps: [{ name: 'X', approver: 'boss' }] });
    expect(unknownApprover.status).toBe(400);
    expect((await bookkeeper.get('/api/v1/review-rules')).body).toEqual(before);
  });
});
