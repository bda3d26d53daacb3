// The companies, cardholders and cards the authorization benchmark pays with.
//
// Companies, their ledger accounts, card settings and funding go through the services, as
// in production. Cardholders and cards are written with plain SQL instead: adding a person
// hashes a password with scrypt (~50 ms each) and issuing a card through issueCard took
// ~5 ms a card here (measured on both databases), so 10,000 would cost most of the run's
// time budget. The rows written are the ones those services write: an active user with its
// login, and an active virtual card with its route (and its number's digest), its "issued" event, a fresh card
// number and CVV encrypted under the configured key, and controls built by the same code
// that parses an issuing request.
import type { Insertable } from 'kysely';
import { ensureAccount } from '../src/ledger/ledger.service.js';
import { cardSpendAccount } from '../src/ledger/chart-of-accounts.js';
import { expiryFor, last4Of, newCardNumber, newCvv } from '../src/cards/card-numbers.js';
import { panDigest } from '../src/cards/pan-digest.js';
import { loadCardSettings } from '../src/cards/card-settings.service.js';
import { parseCompleteControls, storedControlsJson, walletAmounts } from '../src/cards/controls-json.js';
import { createCompany } from '../src/companies/companies.service.js';
import type { Db } from '../src/db/database.js';
import type { CardEventsTable, CardRoutesTable, CardsTable, UsersTable } from '../src/db/schema.js';
import { formatAmount } from '../src/money/money.js';
import { encryptField } from '../src/shared/field-encryption.js';
import { newId } from '../src/shared/ids.js';
import { recordTopUp } from '../src/wallet/wallet.service.js';
import { benchCurrency, blockedCategoryGroup, monthlyLimitMinor, perPurchaseMaxMinor, type BenchCard } from './auth-workload.js';

export interface FleetShape {
  companies: number;
  cardsPerCompany: number;
  /** Paid into each wallet before the run, minor units. */
  fundingMinor: bigint;
}

export interface Fleet {
  companyIds: string[];
  cards: BenchCard[];
  fundingMinor: bigint;
}

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 bind parameters. */
const rowsPerInsertMax = 500;
const system = { actorType: 'system' as const, actorId: null };

async function inChunks<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let at = 0; at < rows.length; at += rowsPerInsertMax) await insert(rows.slice(at, at + rowsPerInsertMax));
}

/** Runs `work` for 0..count-1 with `parallel` at a time (the pool's size on PostgreSQL). */
async function forEachIndex(count: number, parallel: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function openCompany(db: Db, index: number, fundingMinor: bigint): Promise<string> {
  const company = await createCompany(db, { name: `Bench company ${index}`, currency: benchCurrency, timeZone: 'Europe/Copenhagen' });
  // What a company that already uses cards has: its card settings and its card spend account.
  await loadCardSettings(db, company.id);
  await ensureAccount(db, { companyId: company.id, currency: benchCurrency, ...cardSpendAccount });
  await recordTopUp(
    db,
    company.id,
    { amount: formatAmount(fundingMinor, benchCurrency), currency: benchCurrency, bankReference: `bench-funding-${index}`, receivedOn: new Date().toISOString().slice(0, 10) },
    system,
    new Date(),
  );
  return company.id;
}

/** Controls of every bench card: a per-purchase cap, a monthly limit, one blocked group. */
function benchControls(): string {
  const controls = parseCompleteControls(
    {
      perPurchaseMax: formatAmount(perPurchaseMaxMinor, benchCurrency),
      limits: { monthly: formatAmount(monthlyLimitMinor, benchCurrency) },
      categories: { block: [blockedCategoryGroup] },
    },
    walletAmounts(benchCurrency),
  );
  return storedControlsJson(controls);
}

interface CardRows {
  users: Insertable<UsersTable>[];
  cards: Insertable<CardsTable>[];
  /** Each card's route, with its number's digest: the ISO 8583 gateway finds cards by it. */
  routes: Insertable<CardRoutesTable>[];
  events: Insertable<CardEventsTable>[];
}

function cardRows(encryptionKey: Buffer, companyIds: readonly string[], cardsPerCompany: number, now: Date): CardRows & { fleet: BenchCard[] } {
  const rows: CardRows = { users: [], cards: [], routes: [], events: [] };
  const fleet: BenchCard[] = [];
  const controls = benchControls();
  const expiry = expiryFor(now);
  companyIds.forEach((companyId, company) => {
    for (let i = 0; i < cardsPerCompany; i++) {
      const userId = newId('user');
      const id = newId('card');
      const pan = newCardNumber();
      // The associated data card-secrets.ts binds each ciphertext to: company, card, field.
      const secret = (field: string, value: string) => encryptField(encryptionKey, value, `card:${companyId}:${id}:${field}`);
      rows.users.push({ company_id: companyId, id: userId, email: `holder-${company}-${i}@bench.outlay.test`, name: `Cardholder ${company}-${i}`, roles: ['employee'], team_id: null, status: 'active', password_hash: null });
      rows.cards.push({
        company_id: companyId, id, user_id: userId, kind: 'virtual', status: 'active', shipping_status: null, purpose: 'Benchmark',
        last4: last4Of(pan), pan_ciphertext: secret('pan', pan), cvv_ciphertext: secret('cvv', newCvv()),
        expiry_month: expiry.month, expiry_year: expiry.year, controls,
        vendor_merchant_id: null, vendor_merchant_name: null, vendor_mcc: null, cancel_reason: null, replaces_card_id: null,
      });
      rows.routes.push({ card_id: id, company_id: companyId, pan_digest: panDigest(encryptionKey, pan) });
      rows.events.push({ company_id: companyId, id: newId('cardEvent'), card_id: id, actor_type: 'system', actor_id: null, action: 'issued', reason: null, details: JSON.stringify({ kind: 'virtual' }) });
      fleet.push({ id, company, pan });
    }
  });
  return { ...rows, fleet };
}

export async function buildFleet(db: Db, encryptionKey: Buffer, shape: FleetShape, parallel: number): Promise<Fleet> {
  const companyIds: string[] = new Array<string>(shape.companies);
  await forEachIndex(shape.companies, parallel, async (index) => {
    companyIds[index] = await openCompany(db, index, shape.fundingMinor);
  });
  const rows = cardRows(encryptionKey, companyIds, shape.cardsPerCompany, new Date());
  await inChunks(rows.users, (chunk) => db.insertInto('users').values(chunk).execute());
  await inChunks(rows.users, (chunk) =>
    db.insertInto('logins').values(chunk.map((user) => ({ email: user.email, company_id: user.company_id, user_id: user.id }))).execute(),
  );
  await inChunks(rows.routes, (chunk) => db.insertInto('card_routes').values(chunk).execute());
  await inChunks(rows.cards, (chunk) => db.insertInto('cards').values(chunk).execute());
  await inChunks(rows.events, (chunk) => db.insertInto('card_events').values(chunk).execute());
  return { companyIds, cards: rows.fleet, fundingMinor: shape.fundingMinor };
}
