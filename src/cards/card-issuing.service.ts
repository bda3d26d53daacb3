// Issuing a card: to an active person of the company, with a fresh number drawn from the test
// range, the company's default controls merged under the ones given, and an "issued" event.
// Replacing a card (card-lifecycle.service.ts) issues its successor through insertNewCard.
import type { Actor } from '../auth/actor.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { FieldKeys } from '../shared/field-encryption.js';
import { getPerson } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { checkText, recordEvent } from './card-changes.js';
import { checkShippingAddress, checkVendor, type ShippingAddressInput, type VendorInput } from './card-details.js';
import { initialState, type CardKind } from './card-lifecycle.js';
import { expiryFor, last4Of, newCardNumber, newCvv } from './card-numbers.js';
import { encryptCardSecret } from './card-secrets.js';
import { loadCardSettings } from './card-settings.service.js';
import { viewOf, type CardView } from './card-view.js';
import * as repo from './cards.repository.js';
import { checkControls, parseControls, readStoredControls, storedControlsJson, walletAmounts } from './controls-json.js';
import { panDigest, panDigests } from './pan-digest.js';
import { mergeControls, type SpendControls } from './spend-controls.js';

export const purposeLengthMax = 200;
/** Cards a person may hold at once (not cancelled): far above real need, a cap on mistakes. */
export const openCardsPerPersonMax = 25;

export interface IssueCardInput {
  userId: string;
  kind: CardKind;
  purpose?: string;
  /** Controls as API JSON; merged over the company's default controls. */
  controls?: unknown;
  shippingAddress?: ShippingAddressInput;
  vendor?: VendorInput;
}

export interface NewCardPlan {
  companyId: string;
  userId: string;
  kind: CardKind;
  purpose: string;
  controls: SpendControls;
  shippingAddress: object | null;
  vendor: { merchantId: string | null; merchantName: string | null; mcc: string | null } | null;
  replacesCardId: string | null;
}

/** The holder is an active person of the company with room for one more card. */
export async function checkCardholder(trx: Db, companyId: string, userId: string): Promise<void> {
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

async function unusedCardNumber(trx: Db, encryptionKey: FieldKeys): Promise<string> {
  for (let attempt = 0; attempt < cardNumberTriesMax; attempt += 1) {
    const pan = newCardNumber();
    if (!(await repo.findCardIdByPanDigests(trx, panDigests(encryptionKey, pan)))) return pan;
  }
  throw new Error(`no unused card number after ${cardNumberTriesMax} tries`);
}

/** Writes a new card with a fresh number, its route and its "issued" event. */
export async function insertNewCard(trx: Db, encryptionKey: FieldKeys, plan: NewCardPlan, actor: Actor, now: Date): Promise<repo.CardRow> {
  const owner = { company_id: plan.companyId, id: newId('card') };
  const pan = await unusedCardNumber(trx, encryptionKey);
  const expiry = expiryFor(now);
  const card = await repo.insertCard(trx, {
    ...owner,
    user_id: plan.userId,
    kind: plan.kind,
    status: initialState(plan.kind).status,
    shipping_status: initialState(plan.kind).shippingStatus,
    purpose: plan.purpose,
    last4: last4Of(pan),
    pan_ciphertext: encryptCardSecret(encryptionKey, owner, 'pan', pan),
    cvv_ciphertext: encryptCardSecret(encryptionKey, owner, 'cvv', newCvv()),
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

export async function issueCard(db: Db, encryptionKey: FieldKeys, companyId: string, input: IssueCardInput, actor: Actor, now: Date): Promise<CardView> {
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
  const issue = async (trx: Db) => {
    await checkCardholder(trx, companyId, input.userId);
    const defaults = readStoredControls((await loadCardSettings(trx, companyId)).default_controls);
    const controls = checkControls(mergeControls(defaults, given));
    return viewOf(await insertNewCard(trx, encryptionKey, { ...plan, controls }, actor, now), currency, now);
  };
  // Inside the caller's transaction when given one (a subscription's card is issued under its lock).
  return db.isTransaction ? issue(db) : db.transaction().execute(issue);
}
