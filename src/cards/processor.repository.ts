// The processor's view spans companies: it names cards by id (or, in the simulator, by last
// four digits) and we find which company they belong to. Every other query is per company.
import type { Db } from '../db/database.js';

/** Cards a last-four lookup returns at most. */
export const cardsByLast4Max = 20;

export async function findCompanyOfCard(db: Db, cardId: string): Promise<string | undefined> {
  const route = await db.selectFrom('card_routes').select('company_id').where('card_id', '=', cardId).executeTakeFirst();
  return route?.company_id;
}

/** The company and kind of each of these cards that exists. */
export async function findCardsOfProcessor(db: Db, cardIds: readonly string[]): Promise<Map<string, { companyId: string; kind: string }>> {
  if (cardIds.length === 0) return new Map();
  const cards = await db
    .selectFrom('card_routes')
    .innerJoin('cards', (join) => join.onRef('cards.company_id', '=', 'card_routes.company_id').onRef('cards.id', '=', 'card_routes.card_id'))
    .select(['card_routes.card_id', 'card_routes.company_id', 'cards.kind'])
    .where('card_routes.card_id', 'in', [...new Set(cardIds)])
    .execute();
  return new Map(cards.map((card) => [card.card_id, { companyId: card.company_id, kind: card.kind }]));
}

export async function findCardsByLast4(db: Db, last4: string): Promise<{ id: string; status: string }[]> {
  return db
    .selectFrom('cards')
    .select(['id', 'status'])
    .where('last4', '=', last4)
    .orderBy('created_at', 'desc')
    .limit(cardsByLast4Max)
    .execute();
}
