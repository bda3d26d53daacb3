// Where a notification leads: the page of the item it links to (link {type, id}; its subject
// only keeps it from being sent twice), for the person who reads it. A card purchase waiting for its receipt opens the person's home,
// whose first box takes the receipt; an item without a page of its own has no link.
import type { Notification } from '../api/types';
import { expensePath } from '../router';

export function notificationHref(notification: Pick<Notification, 'link'>): string | null {
  if (!notification.link) return null;
  const { type, id } = notification.link;
  switch (type) {
    case 'expense':
      return expensePath(id);
    case 'card_transaction':
      return '/';
    case 'card':
      return '/my-cards';
    case 'payout_batch':
      return '/reimbursements';
    case 'wallet':
      return '/wallet';
    case 'budget':
      return '/budgets';
    default:
      return null;
  }
}
