// Revealing a card's number on a real database: to its holder after their password, audited,
// and to nobody else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { UserRow } from '../people/people.service.js';
import { FieldDecryptionError } from '../shared/field-encryption.js';
import { asApiKey, asUser, cardholderPassword as password, isLuhnValid, openCardWorld, refusal, type CardWorld } from '../test-support/cards.js';
import { cancelCard } from './card-lifecycle.service.js';
import { revealCard } from './card-reveal.service.js';

/** The instant the services are told it is, where a test does not name one. */
const now = new Date();
let world: CardWorld;
let db: Db;
let key: Buffer;
let company: CompanyRow;
let admin: UserRow;
let employee: UserRow;

beforeAll(async () => {
  world = await openCardWorld();
  ({ db, key, company, admin, employee } = world);
});
afterAll(async () => {
  await world?.database.close();
});

const issueVirtual = (holder: UserRow) => world.issueVirtual(holder);

describe('revealing the number', () => {
  it('shows the cardholder the number after their password, and audits it', async () => {
    const { card } = await issueVirtual(employee);
    const revealed = await revealCard(db, key, asUser(employee), card.id, password, now);
    expect(isLuhnValid(revealed.number) && revealed.number.endsWith(card.last4)).toBe(true);
    expect(revealed).toMatchObject({ cvv: expect.stringMatching(/^\d{3}$/), expiryMonth: card.expiry_month, expiryYear: card.expiry_year });
    const audit = await db.selectFrom('audit_events').selectAll().where('subject_id', '=', card.id).where('action', '=', 'card.revealed').execute();
    expect(audit.map((row) => ({ action: row.action, actor: row.actor_id }))).toEqual([{ action: 'card.revealed', actor: employee.id }]);
    expect(JSON.stringify(audit)).not.toContain(revealed.number);
  });

  it('refuses a wrong password, an admin, an API key and a cancelled card, auditing nothing', async () => {
    const { card } = await issueVirtual(employee);
    expect(await refusal(revealCard(db, key, asUser(employee), card.id, 'not-my-password', now))).toMatchObject({ code: 'reauthentication_required' });
    expect(await refusal(revealCard(db, key, asUser(admin), card.id, password, now))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(revealCard(db, key, asApiKey(company.id, ['cards:read', 'cards:manage']), card.id, password, now))).toMatchObject({ code: 'forbidden' });
    await cancelCard(db, asUser(admin), card.id, 'lost', now);
    expect(await refusal(revealCard(db, key, asUser(employee), card.id, password, now))).toMatchObject({ code: 'card_state_invalid' });
    expect(await db.selectFrom('audit_events').select('id').where('subject_id', '=', card.id).where('action', '=', 'card.revealed').execute()).toEqual([]);
  });

  it('cannot decrypt a number moved into another card\'s row', async () => {
    const first = await issueVirtual(employee);
    const second = await issueVirtual(employee);
    await db.updateTable('cards').set({ pan_ciphertext: first.card.pan_ciphertext }).where('id', '=', second.card.id).execute();
    await expect(revealCard(db, key, asUser(employee), second.card.id, password, now)).rejects.toThrow(FieldDecryptionError);
  });
});
