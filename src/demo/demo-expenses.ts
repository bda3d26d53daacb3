// The demo company's books and expenses, so every step from purchase to the books can be
// seen at once: a chart of accounts with Danish VAT codes and tags; card purchases as
// expenses in every state (approved, in review, sent back, drafts, one voided by its
// reversal); out-of-pocket, mileage and per-diem claims; a rejected one; a payout batch
// paid; and the approved expenses exported to the books. Everything goes through the same
// services people use.
import { permissionsOfRoles } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { systemActor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { Role } from '../db/schema.js';
import { createCategory } from '../expenses/categories.service.js';
import { updateExpenseSettings } from '../expenses/expense-settings.service.js';
import { setPayeeAccount } from '../expenses/payee-accounts.service.js';
import { setPerDiemRate } from '../expenses/per-diem-rates.service.js';
import { createTag, createTagGroup } from '../expenses/tags.service.js';
import { createTaxCode } from '../expenses/tax-codes.service.js';
import { setTeamReviewers } from '../expenses/team-reviewers.service.js';
import { syncCardExpenses } from '../expenses/expense-sync.js';
import { updateExpenseDetails } from '../expenses/expense-editing.service.js';
import { fileExpense } from '../expenses/expense-filing.service.js';
import { rejectExpense, requestChanges, submitExpense } from '../expenses/expense-review.service.js';
import { listExpenses, type ExpenseRow } from '../expenses/expenses.service.js';
import { createExportBatch } from '../exports/export-batches.service.js';
import { runExport } from '../exports/export-writing.service.js';
import { markBatchPaid } from '../payouts/payout-payment.service.js';
import { createPayoutBatch } from '../payouts/payouts.service.js';
import { addReceiptForPerson, type ReceiptsDeps } from '../receipts/receipt-intake.service.js';
import { renderReceiptPdf } from './receipt-pictures.js';

const day = 24 * 3600_000;
const dateOf = (today: Date, daysAgo: number) => new Date(today.getTime() - daysAgo * day).toISOString().slice(0, 10);

function principalFor(companyId: string, userId: string, roles: Role[]): Principal {
  return { kind: 'user', companyId, userId, sessionId: 'demo', roles, permissions: permissionsOfRoles(roles) };
}

interface DemoBooks {
  travel: string;
  hotel: string;
  meals: string;
  software: string;
  office: string;
  vat: string;
  representation: string;
  exempt: string;
  aurora: string;
  borealis: string;
}

async function setUpBooks(db: Db, companyId: string, teams: ReadonlyMap<string, string>, people: ReadonlyMap<string, string>): Promise<DemoBooks> {
  const category = async (accountCode: string, name: string) => (await createCategory(db, companyId, { accountCode, name })).id;
  const travel = await category('6110', 'Travel');
  const hotel = await category('6120', 'Hotels');
  const meals = await category('6540', 'Meals and entertainment');
  const software = await category('6570', 'Software subscriptions');
  const office = await category('6610', 'Office supplies');
  const tax = async (code: string, name: string, rate: string, deductible: string) =>
    (await createTaxCode(db, companyId, { code, name, rate, deductible, vatAccountCode: rate === '0' ? null : '6902' })).id;
  const vat = await tax('DK25', 'Danish VAT 25 %', '25', '100');
  const representation = await tax('DK25REP', 'VAT 25 %, restaurant (25 % deductible)', '25', '25');
  const exempt = await tax('EXEMPT', 'No VAT', '0', '0');
  const project = await createTagGroup(db, companyId, 'Project');
  const aurora = (await createTag(db, companyId, project.id, 'Aurora')).id;
  const borealis = (await createTag(db, companyId, project.id, 'Borealis')).id;
  await updateExpenseSettings(db, companyId, {
    reviewThreshold: '500.00',
    mileageRate: '0.52',
    debtor: { name: 'Nordlys Studio ApS', iban: 'DK5000400440116243', bic: 'NDEADKKK' },
    organisationNumber: '37283945',
    datevConsultantNumber: 1001,
    datevClientNumber: 1,
  });
  for (const [country, rate] of [['DE', '45.00'], ['SE', '40.00'], ['GB', '50.00']] as const) await setPerDiemRate(db, companyId, country, rate);
  const admin = people.get('admin');
  for (const teamId of teams.values()) if (admin) await setTeamReviewers(db, companyId, teamId, [admin]);
  await setPayeeAccount(db, companyId, people.get('emma')!, { holderName: 'Emma Nørgaard', iban: 'DK9520000123456789' });
  await setPayeeAccount(db, companyId, people.get('felix')!, { holderName: 'Felix Braun', iban: 'DK3030000987654321' });
  return { travel, hotel, meals, software, office, vat, representation, exempt, aurora, borealis };
}

export async function seedDemoExpenses(db: Db, receipts: ReceiptsDeps, companyId: string, teams: ReadonlyMap<string, string>, people: ReadonlyMap<string, string>, today: Date): Promise<void> {
  const ids = await setUpBooks(db, companyId, teams, people);
  const emma = principalFor(companyId, people.get('emma')!, ['employee']);
  const felix = principalFor(companyId, people.get('felix')!, ['employee']);
  const admin = principalFor(companyId, people.get('admin')!, ['admin', 'employee']);

  await syncCardExpenses(db, today);
  const cardExpenses = [...(await listExpenses(db, emma, { kind: 'card', limit: 200 })), ...(await listExpenses(db, felix, { kind: 'card', limit: 200 }))];
  // The earliest draft of the merchant: Café Nord was visited twice, the first time with a receipt.
  const byMerchant = (merchant: string): ExpenseRow | undefined =>
    cardExpenses.filter((expense) => expense.merchant === merchant && expense.state === 'draft').sort((x, y) => x.spent_on.localeCompare(y.spent_on))[0];
  const categorise = async (owner: Principal, merchant: string, patch: Parameters<typeof updateExpenseDetails>[3]) => {
    const expense = byMerchant(merchant);
    return expense ? updateExpenseDetails(db, owner, expense.id, patch, today) : undefined;
  };

  // Approved as soon as they were submitted: receipt in, under the review threshold.
  const cafe = await categorise(emma, 'Café Nord', { categoryId: ids.meals, taxCodeId: ids.representation, attendees: ['Emma Nørgaard', 'Client from Aarhus'], tagIds: [ids.aurora] });
  if (cafe) await submitExpense(db, emma, cafe.id, today);
  const train = await categorise(felix, 'DSB Rejsebureau', { categoryId: ids.travel, taxCodeId: ids.exempt, note: 'Client visit, Aarhus' });
  if (train) await submitExpense(db, felix, train.id, today);
  const figma = await categorise(emma, 'FIGMA.COM', { categoryId: ids.software, taxCodeId: ids.exempt, tagIds: [ids.borealis] });
  if (figma) await submitExpense(db, emma, figma.id, today);
  // Above the threshold and without its receipt: waiting for the admin's review.
  const hotel = await categorise(felix, 'Scandic Hotels', { categoryId: ids.hotel, taxCodeId: ids.vat, note: 'Two nights, trade fair' });
  if (hotel) await submitExpense(db, felix, hotel.id, today);
  // Sent back with a question.
  const office = await categorise(emma, 'Office Depot', { categoryId: ids.office, taxCodeId: ids.vat });
  if (office) {
    await submitExpense(db, emma, office.id, today);
    await requestChanges(db, admin, office.id, 'Which project was the toner for? Please add the tag.', today);
  }
  // Pret (receipt lost), Uber and today's coffee stay drafts for their owners to finish.

  // Out of pocket: a train ticket paid privately (approved and reimbursed), a gym membership (rejected).
  const ticket = await addReceiptForPerson(receipts, {
    companyId,
    userId: people.get('emma')!,
    transactionId: null,
    fileName: 'metro.pdf',
    content: { kind: 'file', bytes: renderReceiptPdf({ merchant: 'Metroselskabet', date: dateOf(today, 9), items: [{ name: 'City pass, 72 hours', amount: '34.00' }], total: '34.00', currency: 'EUR' }), fileName: 'metro.pdf' },
  }, today);
  const metro = await fileExpense(db, emma, { kind: 'out_of_pocket', spentOn: dateOf(today, 9), merchant: 'Metroselskabet', amount: '34.00', receiptId: ticket.id, categoryId: ids.travel, taxCodeId: ids.vat }, today);
  await submitExpense(db, emma, metro.id, today);
  const gym = await fileExpense(db, felix, { kind: 'out_of_pocket', spentOn: dateOf(today, 7), merchant: 'Fitness World', amount: '29.00', categoryId: ids.travel, taxCodeId: ids.vat, note: 'Monthly membership' }, today);
  await submitExpense(db, felix, gym.id, today);
  await rejectExpense(db, admin, gym.id, 'A gym membership is not a business expense.', today);

  // The reimbursement batch: paid, then more is owed again.
  await createPayoutBatch(db, admin, {}, today).then((created) => markBatchPaid(db, admin, created.batch.id, today));
  const drive = await fileExpense(db, felix, { kind: 'mileage', spentOn: dateOf(today, 5), distanceKm: '126.4', route: 'Copenhagen – Roskilde – Copenhagen, client workshop', categoryId: ids.travel, taxCodeId: ids.exempt }, today);
  await submitExpense(db, felix, drive.id, today);
  const allowance = await fileExpense(db, felix, { kind: 'per_diem', spentOn: dateOf(today, 3), country: 'DE', days: 3, categoryId: ids.travel, taxCodeId: ids.exempt, note: 'Trade fair, Hamburg' }, today);
  await submitExpense(db, felix, allowance.id, today);

  // The books: what was approved so far, exported as a CSV batch.
  const from = dateOf(today, 30);
  const batch = await createExportBatch({ db, jobs: null }, companyId, { ...systemActor, actorId: 'demo' }, { format: 'csv', from, to: dateOf(today, 0) }, today);
  await runExport(receipts, { companyId, batchId: batch.id }, today);
}
