// Cards: issuing, the lifecycle (freeze, activate, ship, cancel, replace), spending
// controls, what is left of each limit, revealing the card number to its holder, and what the
// authorization engine reads of a card. Each use case is one transaction that locks the card it changes and writes a
// card event (who, what, why) beside the change.
//
// Who may do what: with cards:read (or cards:manage) a principal sees every card of the company; without it, a
// person sees only their own, and anyone else's card is "not found". cards:manage issues,
// cancels, replaces, ships and changes controls. The cardholder (or cards:manage) freezes;
// only the cardholder activates and reveals.
import { recordAudit } from '../audit/audit.service.js';
import { systemActor, type Actor } from '../auth/actor.js';
import { verifyPassword } from '../auth/passwords.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { getPerson } from '../people/people.service.js';
import { decryptField, encryptField, FieldDecryptionError } from '../shared/field-encryption.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { CardForDecision, CardStatus } from './authorize.js';
import { effectiveStatus, initialState, transition, type CardAction, type CardKind, type CancelReason, type ReplaceReason } from './card-lifecycle.js';
import { cardExpiresAt, expiryFor, last4Of, newCardNumber, newCvv } from './card-numbers.js';
import { panDigest } from './pan-digest.js';
import { checkControls, parseControls, readStoredControls, storedControlsJson, walletAmounts } from './controls-json.js';
import { checkShippingAddress, checkVendor, type ShippingAddressInput, type VendorInput } from './card-details.js';
import { loadCardSettings } from './card-settings.service.js';
import * as repo from './cards.repository.js';
import { mergeControls, periods, type Period, type SpendControls } from './spend-controls.js';

export type { CardEventRow, CardRow } from './cards.repository.js';

export const purposeLengthMax = 200;
export const eventReasonLengthMax = 200;
/** Cards a person may hold at once (not cancelled): far above real need, a cap on mistakes. */
export const openCardsPerPersonMax = 25;

/** A card as read: its stored row, its status with expiry applied, its controls. */
export interface CardView {
  id: string;
  card: repo.CardRow;
  status: CardStatus;
  controls: SpendControls;
  /** The wallet's currency, in which the controls' amounts are. */
  currency: string;
}

const statusOf = (card: repo.CardRow, now: Date) => effectiveStatus(card.status, { month: card.expiry_month, year: card.expiry_year }, now);

const viewOf = (card: repo.CardRow, currency: string, now: Date): CardView => ({
  id: card.id,
  card,
  status: statusOf(card, now),
  controls: readStoredControls(card.controls),
  currency,
});

/** Associated data of the encrypted fields: a value is bound to its company, card and field. */
const secretContext = (companyId: string, cardId: string, field: 'pan' | 'cvv') => `card:${companyId}:${cardId}:${field}`;

// --- Who may see and change a card --------------------------------------------------------

type Need = 'see' | 'holder_or_manage' | 'manage' | 'holder';

const isHolder = (principal: Principal, card: repo.CardRow) => principal.kind === 'user' && principal.userId === card.user_id;
const seesAll = (principal: Principal) => principal.permissions.has('cards:read') || principal.permissions.has('cards:manage');

function checkAccess(principal: Principal, card: repo.CardRow | undefined, need: Need): repo.CardRow {
  // A card the principal may not see does not exist for them: 404, never 403.
  if (!card || card.company_id !== principal.companyId || !(seesAll(principal) || isHolder(principal, card))) throw notFound('card');
  const manages = principal.permissions.has('cards:manage');
  if (need === 'manage' && !manages) throw new DomainError('forbidden', 'this needs the cards:manage permission');
  if (need === 'holder_or_manage' && !manages && !isHolder(principal, card)) {
    throw new DomainError('forbidden', 'only the cardholder or someone with cards:manage may do this');
  }
  if (need === 'holder' && !isHolder(principal, card)) throw new DomainError('forbidden', 'only the cardholder may do this');
  return card;
}

async function lockVisibleCard(trx: Db, principal: Principal, id: string, need: Need): Promise<repo.CardRow> {
  return checkAccess(principal, await repo.lockCard(trx, principal.companyId, id), need);
}

function nextState(card: repo.CardRow, action: CardAction, now: Date) {
  const state = { kind: card.kind, status: statusOf(card, now), shippingStatus: card.shipping_status };
  const result = transition(state, action);
  if (!result.allowed) throw new DomainError('card_state_invalid', result.reason);
  return result;
}

function checkText(value: string | undefined | null, field: string, lengthMax: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > lengthMax) throw new DomainError('validation_failed', `${field} has at most ${lengthMax} characters`, field);
  return text.length === 0 ? null : text;
}

async function recordEvent(trx: Db, card: repo.CardRow, actor: Actor, action: string, reason: string | null, details: Record<string, unknown> = {}): Promise<repo.CardEventRow> {
  return repo.insertCardEvent(trx, {
    company_id: card.company_id,
    id: newId('cardEvent'),
    card_id: card.id,
    actor_type: actor.actorType,
    actor_id: actor.actorId,
    action,
    reason,
    details,
  });
}

// --- Issuing ------------------------------------------------------------------------------

export interface IssueCardInput {
  userId: string;
  kind: CardKind;
  purpose?: string;
  /** Controls as API JSON; merged over the company's default controls. */
  controls?: unknown;
  shippingAddress?: ShippingAddressInput;
  vendor?: VendorInput;
}

interface NewCardPlan {
  companyId: string;
  userId: string;
  kind: CardKind;
  purpose: string;
  controls: SpendControls;
  shippingAddress: object | null;
  vendor: { merchantId: string | null; merchantName: string | null; mcc: string | null } | null;
  replacesCardId: string | null;
}

async function checkCardholder(trx: Db, companyId: string, userId: string): Promise<void> {
  const person = await getPerson(trx, companyId, userId).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'not_found') throw new DomainError('not_found', 'person was not found', 'userId');
    throw error;
  });
  if (person.status !== 'active') {
    throw new DomainError('validation_failed', `cards are issued to active people; this person is ${person.status}`, 'userId');
  }
  if ((await repo.countOpenCards(trx, companyId, userId)) >= openCardsPerPersonMax) {
    throw new DomainError('conflict', `a person holds at most ${openCardsPerPersonMax} cards that are not cancelled`, 'userId');
  }
}

/** Tries for a card number no card has: numbers are drawn at random from a test range. */
const cardNumberTriesMax = 10;

async function unusedCardNumber(trx: Db, encryptionKey: Buffer): Promise<string> {
  for (let attempt = 0; attempt < cardNumberTriesMax; attempt += 1) {
    const pan = newCardNumber();
    if (!(await repo.findCardIdByPanDigest(trx, panDigest(encryptionKey, pan)))) return pan;
  }
  throw new Error(`no unused card number after ${cardNumberTriesMax} tries`);
}

/** Writes a new card with a fresh number, its route and its "issued" event. */
async function insertNewCard(trx: Db, encryptionKey: Buffer, plan: NewCardPlan, actor: Actor, now: Date): Promise<repo.CardRow> {
  const id = newId('card');
  const pan = await unusedCardNumber(trx, encryptionKey);
  const expiry = expiryFor(now);
  const card = await repo.insertCard(trx, {
    company_id: plan.companyId,
    id,
    user_id: plan.userId,
    kind: plan.kind,
    status: initialState(plan.kind).status,
    shipping_status: initialState(plan.kind).shippingStatus,
    purpose: plan.purpose,
    last4: last4Of(pan),
    pan_ciphertext: encryptField(encryptionKey, pan, secretContext(plan.companyId, id, 'pan')),
    cvv_ciphertext: encryptField(encryptionKey, newCvv(), secretContext(plan.companyId, id, 'cvv')),
    expiry_month: expiry.month,
    expiry_year: expiry.year,
    controls: storedControlsJson(plan.controls),
    shipping_address: plan.shippingAddress ? JSON.stringify(plan.shippingAddress) : null,
    vendor_merchant_id: plan.vendor?.merchantId ?? null,
    vendor_merchant_name: plan.vendor?.merchantName ?? null,
    vendor_mcc: plan.vendor?.mcc ?? null,
    replaces_card_id: plan.replacesCardId,
  }, panDigest(encryptionKey, pan));
  await recordEvent(trx, card, actor, 'issued', null, { kind: plan.kind, ...(plan.replacesCardId ? { replacesCardId: plan.replacesCardId } : {}) });
  return card;
}

export async function issueCard(db: Db, encryptionKey: Buffer, companyId: string, input: IssueCardInput, actor: Actor, now = new Date()): Promise<CardView> {
  const { currency } = await getCompany(db, companyId);
  const given = input.controls === undefined ? {} : parseControls(input.controls, walletAmounts(currency), 'controls');
  const plan = {
    companyId,
    userId: input.userId,
    kind: input.kind,
    purpose: checkText(input.purpose, 'purpose', purposeLengthMax) ?? '',
    shippingAddress: checkShippingAddress(input.kind, input.shippingAddress),
    vendor: checkVendor(input.kind, input.vendor),
    replacesCardId: null,
  };
  return db.transaction().execute(async (trx) => {
    await checkCardholder(trx, companyId, input.userId);
    const defaults = readStoredControls((await loadCardSettings(trx, companyId)).default_controls);
    const controls = checkControls(mergeControls(defaults, given));
    return viewOf(await insertNewCard(trx, encryptionKey, { ...plan, controls }, actor, now), currency, now);
  });
}

// --- Reading ------------------------------------------------------------------------------

export async function getCard(db: Db, principal: Principal, id: string, now = new Date()): Promise<CardView> {
  const card = checkAccess(principal, await repo.findCard(db, principal.companyId, id), 'see');
  return viewOf(card, (await getCompany(db, principal.companyId)).currency, now);
}

export async function listCards(db: Db, principal: Principal, filter: { userId?: string }, before: string | undefined, limit: number, now = new Date()): Promise<CardView[]> {
  let userId = filter.userId;
  if (!seesAll(principal)) {
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'this needs the cards:read permission');
    // Without cards:read, the list is one's own cards, whatever the filter asks for.
    if (userId !== undefined && userId !== principal.userId) return [];
    userId = principal.userId;
  }
  const { currency } = await getCompany(db, principal.companyId);
  const rows = await repo.listCards(db, principal.companyId, userId === undefined ? {} : { userId }, before, limit);
  return rows.map((row) => viewOf(row, currency, now));
}

export async function listCardEvents(db: Db, principal: Principal, id: string, before: string | undefined, limit: number): Promise<repo.CardEventRow[]> {
  checkAccess(principal, await repo.findCard(db, principal.companyId, id), 'see');
  return repo.listCardEvents(db, principal.companyId, id, before, limit);
}

/** Whether the company has a card with this id (for modules acting in the company, such as
 * the simulator; no access check). */
export async function cardExists(db: Db, companyId: string, id: string): Promise<boolean> {
  return (await repo.findCard(db, companyId, id)) !== undefined;
}

// --- Lifecycle ----------------------------------------------------------------------------

interface Change {
  action: CardAction;
  need: Need;
  /** The card event's action, in the past tense. */
  event: string;
  reason: string | null;
}

async function applyChange(db: Db, principal: Principal, id: string, change: Change, now: Date, guard?: (trx: Db, card: repo.CardRow) => Promise<void>): Promise<CardView> {
  return db.transaction().execute(async (trx) => {
    const card = await lockVisibleCard(trx, principal, id, change.need);
    const next = nextState(card, change.action, now);
    await guard?.(trx, card);
    const updated = await repo.updateCard(trx, principal.companyId, id, {
      status: next.status,
      shipping_status: next.shippingStatus,
      ...(change.action === 'cancel' && change.reason ? { cancel_reason: change.reason as CancelReason } : {}),
    });
    const details = card.shipping_status !== next.shippingStatus ? { shippingStatus: { from: card.shipping_status, to: next.shippingStatus } } : {};
    await recordEvent(trx, updated, actorOf(principal), change.event, change.reason, { status: { from: card.status, to: next.status }, ...details });
    return viewOf(updated, (await getCompany(trx, principal.companyId)).currency, now);
  });
}

export async function freezeCard(db: Db, principal: Principal, id: string, reason?: string, now = new Date()): Promise<CardView> {
  return applyChange(db, principal, id, { action: 'freeze', need: 'holder_or_manage', event: 'frozen', reason: checkText(reason, 'reason', eventReasonLengthMax) }, now);
}

/** A cardholder may lift their own freeze; a freeze someone else set needs cards:manage. */
export async function unfreezeCard(db: Db, principal: Principal, id: string, reason?: string, now = new Date()): Promise<CardView> {
  const change: Change = { action: 'unfreeze', need: 'holder_or_manage', event: 'unfrozen', reason: checkText(reason, 'reason', eventReasonLengthMax) };
  return applyChange(db, principal, id, change, now, async (trx, card) => {
    if (principal.permissions.has('cards:manage')) return;
    const frozen = await repo.lastCardEvent(trx, card.company_id, card.id, 'frozen');
    if (frozen && !(frozen.actor_type === 'user' && frozen.actor_id === card.user_id)) {
      throw new DomainError('forbidden', 'someone else froze this card: ask a card manager to unfreeze it');
    }
  });
}

export async function activateCard(db: Db, principal: Principal, id: string, now = new Date()): Promise<CardView> {
  return applyChange(db, principal, id, { action: 'activate', need: 'holder', event: 'activated', reason: null }, now);
}

export async function cancelCard(db: Db, principal: Principal, id: string, reason: CancelReason, now = new Date()): Promise<CardView> {
  return applyChange(db, principal, id, { action: 'cancel', need: 'manage', event: 'cancelled', reason }, now);
}

export async function updateShipping(db: Db, principal: Principal, id: string, status: 'shipped' | 'delivered', now = new Date()): Promise<CardView> {
  const action = status === 'shipped' ? 'ship' : 'deliver';
  return applyChange(db, principal, id, { action, need: 'manage', event: status, reason: null }, now);
}

/** Cancels the card (reason "replaced") and issues a new one of the same kind to the same
 * person, with the same purpose, controls, shipping address or vendor. */
export async function replaceCard(db: Db, encryptionKey: Buffer, principal: Principal, id: string, reason: ReplaceReason, now = new Date()): Promise<{ old: CardView; replacement: CardView }> {
  const actor = actorOf(principal);
  return db.transaction().execute(async (trx) => {
    const card = await lockVisibleCard(trx, principal, id, 'manage');
    nextState(card, 'replace', now);
    // Cancelled first, so the old card does not count against the holder's open cards.
    const old = await repo.updateCard(trx, card.company_id, card.id, { status: 'cancelled', cancel_reason: 'replaced' });
    await checkCardholder(trx, card.company_id, card.user_id);
    const replacement = await insertNewCard(trx, encryptionKey, {
      companyId: card.company_id,
      userId: card.user_id,
      kind: card.kind,
      purpose: card.purpose,
      controls: readStoredControls(card.controls),
      shippingAddress: card.shipping_address,
      vendor: card.kind === 'vendor' ? { merchantId: card.vendor_merchant_id, merchantName: card.vendor_merchant_name, mcc: card.vendor_mcc } : null,
      replacesCardId: card.id,
    }, actor, now);
    await recordEvent(trx, old, actor, 'replaced', reason, { status: { from: card.status, to: 'cancelled' }, replacementCardId: replacement.id });
    const { currency } = await getCompany(trx, card.company_id);
    return { old: viewOf(old, currency, now), replacement: viewOf(replacement, currency, now) };
  });
}

/** Replaces the controls given in `patch` (API JSON, the request body: errors name fields
 * from there, e.g. "limits.monthly"); the others stay as they are. */
export async function updateControls(db: Db, principal: Principal, id: string, patch: unknown, now = new Date()): Promise<CardView> {
  const { currency } = await getCompany(db, principal.companyId);
  const given = parseControls(patch, walletAmounts(currency), '');
  return db.transaction().execute(async (trx) => {
    const card = await lockVisibleCard(trx, principal, id, 'manage');
    nextState(card, 'change_controls', now);
    const controls = checkControls(mergeControls(readStoredControls(card.controls), given), '');
    const updated = await repo.updateCard(trx, principal.companyId, id, { controls: storedControlsJson(controls) });
    await recordEvent(trx, updated, actorOf(principal), 'controls_changed', null, { changed: Object.keys(given), controls: JSON.parse(storedControlsJson(controls)) });
    return viewOf(updated, currency, now);
  });
}

// --- Remaining limits ---------------------------------------------------------------------

export interface PeriodUsage {
  /** null: no limit for the period. */
  limit: bigint | null;
  spent: bigint;
  remaining: bigint | null;
}

export interface CardLimits {
  currency: string;
  perPurchaseMax: bigint | null;
  periods: Record<Period, PeriodUsage>;
}

export async function getCardLimits(db: Db, principal: Principal, id: string, now = new Date()): Promise<CardLimits> {
  const card = checkAccess(principal, await repo.findCard(db, principal.companyId, id), 'see');
  const company = await getCompany(db, principal.companyId);
  const controls = readStoredControls(card.controls);
  const spent = await repo.spentByPeriod(db, principal.companyId, id, now, company.time_zone);
  const usage = (period: Period): PeriodUsage => {
    const limit = controls.limits[period] ?? null;
    return { limit, spent: spent[period], remaining: limit === null ? null : limit > spent[period] ? limit - spent[period] : 0n };
  };
  return { currency: company.currency, perPurchaseMax: controls.perPurchaseMax, periods: Object.fromEntries(periods.map((p) => [p, usage(p)])) as Record<Period, PeriodUsage> };
}

// --- Revealing the number -----------------------------------------------------------------

export interface RevealedCard {
  number: string;
  cvv: string;
  expiryMonth: number;
  expiryYear: number;
}

/**
 * The full number and CVV, for the cardholder only, in a browser session, after they
 * type their password again; every reveal is written to the audit trail.
 */
export async function revealCard(db: Db, encryptionKey: Buffer, principal: Principal, id: string, password: string, now = new Date()): Promise<RevealedCard> {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'card numbers are shown to the cardholder in a browser session, never to API keys');
  const card = checkAccess(principal, await repo.findCard(db, principal.companyId, id), 'holder');
  const status = statusOf(card, now);
  if (status === 'cancelled' || status === 'expired') throw new DomainError('card_state_invalid', `the card is ${status}: its number is of no more use`);
  const person = await getPerson(db, principal.companyId, principal.userId);
  if (!person.password_hash || !(await verifyPassword(password, person.password_hash))) {
    throw new DomainError('reauthentication_required', 'the password is not correct; type it again to see the card number', 'password');
  }
  return db.transaction().execute(async (trx) => {
    const locked = checkAccess(principal, await repo.lockCard(trx, principal.companyId, id), 'holder');
    await recordAudit(trx, { companyId: locked.company_id, ...actorOf(principal), action: 'card.revealed', subjectType: 'card', subjectId: locked.id, details: { last4: locked.last4 } });
    return {
      number: decryptField(encryptionKey, locked.pan_ciphertext, secretContext(locked.company_id, locked.id, 'pan')),
      cvv: decryptField(encryptionKey, locked.cvv_ciphertext, secretContext(locked.company_id, locked.id, 'cvv')),
      expiryMonth: locked.expiry_month,
      expiryYear: locked.expiry_year,
    };
  });
}

// --- For the authorization engine (called inside its transaction) -------------------------

/** What the pure decision needs of a card. Stored controls are in minor units already. */
export function cardForDecision(card: repo.CardRow): CardForDecision {
  return {
    status: card.status,
    singleUse: card.kind === 'single_use',
    singleUseSpent: card.single_use_spent,
    expiresAt: cardExpiresAt({ month: card.expiry_month, year: card.expiry_year }),
    vendorLock: card.kind === 'vendor' ? { merchantId: card.vendor_merchant_id, merchantName: card.vendor_merchant_name, mcc: card.vendor_mcc } : null,
    controls: readStoredControls(card.controls),
  };
}

export interface CardForAuthorization {
  companyId: string;
  card: repo.CardRow;
  decision: CardForDecision;
  controls: SpendControls;
  timeZone: string;
  walletCurrency: string;
}

/** Finds a card by its id alone (as the processor names it) and locks it for the rest of
 * the caller's transaction, so authorizations of one card take turns. */
export async function loadCardForAuthorization(trx: Db, cardId: string): Promise<CardForAuthorization | null> {
  const found = await repo.lockCardByRoute(trx, cardId);
  if (!found) return null;
  const decision = cardForDecision(found.card);
  return { companyId: found.card.company_id, card: found.card, decision, controls: decision.controls, timeZone: found.timeZone, walletCurrency: found.currency };
}

/** A single-use card made its purchase: it declines everything after (the decision reads
 * single_use_spent). Returns false when there was nothing to change. Call it in the
 * clearing's transaction. */
export async function consumeSingleUseCard(trx: Db, companyId: string, cardId: string, actor: Actor = systemActor): Promise<boolean> {
  const card = await repo.lockCard(trx, companyId, cardId);
  if (!card || card.kind !== 'single_use' || card.single_use_spent) return false;
  const updated = await repo.updateCard(trx, companyId, cardId, { single_use_spent: true });
  await recordEvent(trx, updated, actor, 'single_use_spent', null);
  return true;
}

// --- Freezes by Outlay itself (called inside the caller's transaction) --------------------

/**
 * Outlay freezes an active card for a reason of its own (e.g. receipts overdue), recorded
 * as a card event by the system with that reason. Returns the card and its event, or null
 * when the card was not active (nothing changed: a card someone froze stays theirs to lift).
 */
export async function freezeCardBySystem(trx: Db, companyId: string, cardId: string, reason: string, details: Record<string, unknown>, now = new Date()): Promise<SystemCardChange | null> {
  const card = await repo.lockCard(trx, companyId, cardId);
  if (!card || statusOf(card, now) !== 'active') return null;
  const next = nextState(card, 'freeze', now);
  const updated = await repo.updateCard(trx, companyId, cardId, { status: next.status });
  const event = await recordEvent(trx, updated, systemActor, 'frozen', reason, { status: { from: card.status, to: next.status }, ...details });
  return { card: updated, event };
}

export interface SystemCardChange {
  card: repo.CardRow;
  event: repo.CardEventRow;
}

/**
 * Lifts a freeze Outlay set for `reason`, once that reason is gone. A card frozen since by
 * someone else, or frozen for another reason, is left alone. Returns the change when lifted.
 */
export async function unfreezeCardBySystem(trx: Db, companyId: string, cardId: string, reason: string, details: Record<string, unknown>, now = new Date()): Promise<SystemCardChange | null> {
  const card = await repo.lockCard(trx, companyId, cardId);
  if (!card || statusOf(card, now) !== 'frozen') return null;
  const frozen = await repo.lastCardEvent(trx, companyId, cardId, 'frozen');
  if (!frozen || frozen.actor_type !== 'system' || frozen.reason !== reason) return null;
  const next = nextState(card, 'unfreeze', now);
  const updated = await repo.updateCard(trx, companyId, cardId, { status: next.status });
  const event = await recordEvent(trx, updated, systemActor, 'unfrozen', reason, { status: { from: card.status, to: next.status }, ...details });
  return { card: updated, event };
}

// --- Finding cards by number (the ISO 8583 gateway) -------------------------------------------

/** The id of the card with this number, or null: one indexed read of its digest. */
export async function findCardIdByPan(db: Db, encryptionKey: Buffer, pan: string): Promise<string | null> {
  if (!/^\d{12,19}$/.test(pan)) return null;
  return repo.findCardIdByPanDigest(db, panDigest(encryptionKey, pan));
}

/**
 * Digests the numbers of cards issued before digests existed, once, at start-up. A number
 * that does not decrypt under this key (it was issued under another) is left without one:
 * the gateway then does not find that card, and nothing else changes.
 */
export async function backfillPanDigests(db: Db, encryptionKey: Buffer): Promise<{ digested: number; undecryptable: number }> {
  const cards = await repo.listCardsWithoutPanDigest(db, Number.MAX_SAFE_INTEGER);
  let digested = 0;
  for (const card of cards) {
    let pan: string;
    try {
      pan = decryptField(encryptionKey, card.pan_ciphertext, secretContext(card.company_id, card.id, 'pan'));
    } catch (error) {
      if (error instanceof FieldDecryptionError) continue;
      throw error;
    }
    // Two cards issued with the same number before digests existed: the later keeps none.
    const taken = await repo.findCardIdByPanDigest(db, panDigest(encryptionKey, pan));
    if (taken) continue;
    await repo.setPanDigest(db, card.id, panDigest(encryptionKey, pan));
    digested += 1;
  }
  return { digested, undecryptable: cards.length - digested };
}
