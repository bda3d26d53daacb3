// What the authorization engine reads of a card, gathered from the module that owns cards:
// the locked row, the company's card settings, what the card has spent, and the card as
// the pure decision sees it.
export { lockCard, spentByPeriod } from './cards.repository.js';
export { loadCardSettings } from './card-settings.service.js';
export { cardForDecision, consumeSingleUseCard as markSingleUseSpent } from './cards.service.js';
