// A card as the services hand it out: the stored row, its status as of now (a card past its
// expiry month reads as expired), its controls and the currency their amounts are in.
import type { CardStatus } from './authorize.js';
import { effectiveStatus } from './card-lifecycle.js';
import { readStoredControls } from './controls-json.js';
import type { CardRow } from './cards.repository.js';
import type { SpendControls } from './spend-controls.js';

export type { CardEventRow, CardRow } from './cards.repository.js';

export interface CardView {
  id: string;
  card: CardRow;
  status: CardStatus;
  controls: SpendControls;
  /** The wallet's currency, in which the controls' amounts are. */
  currency: string;
}

export const statusOf = (card: CardRow, now: Date) => effectiveStatus(card.status, { month: card.expiry_month, year: card.expiry_year }, now);

export const viewOf = (card: CardRow, currency: string, now: Date): CardView => ({
  id: card.id,
  card,
  status: statusOf(card, now),
  controls: readStoredControls(card.controls),
  currency,
});
