// Where a notification leads: the page of the item it is about (subject {type, id}), for
// the person who reads it. A card purchase waiting for its receipt opens the person's home,
// whose first box takes the receipt; an item without a page of its own has no link.
import type { Notification } from '../api/types';
import { expensePath } from '../router';

export function notificationHref(notification: Pick<Notification, 'subject' | 'kind'>): string | null {
  const { type, id } = notification.subject;
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
    default:
      return null;
  }
}
