// What the server's live events (GET /api/v1/events) mean for the pages shown: each kind of
// event names the lists and items whose data it changed, and those queries are fetched again.
// The event carries only what changed, never the data: the pages reload it through the API.
import type { QueryClient } from '@tanstack/react-query';
import { invalidate, type GetPath } from '../api/queries';

export type LiveEventType = 'card_transaction.authorized' | 'card_transaction.declined' | 'receipt.read' | 'expense.reviewed' | 'notification.created';

export interface LiveEvent {
  type: LiveEventType | 'ready';
  subject?: { type: string; id: string };
}

const purchase: readonly GetPath[] = ['/api/v1/card-transactions', '/api/v1/wallet', '/api/v1/cards', '/api/v1/cards/{id}/limits', '/api/v1/expenses', '/api/v1/receipts/missing', '/api/v1/receipts/missing/by-person', '/api/v1/notifications'];

/** The queries each event makes stale. */
export const changedBy: Record<LiveEventType, readonly GetPath[]> = {
  'card_transaction.authorized': purchase,
  'card_transaction.declined': ['/api/v1/card-transactions', '/api/v1/cards/{id}/limits'],
  'receipt.read': ['/api/v1/receipts', '/api/v1/receipts/missing', '/api/v1/card-transactions', '/api/v1/expenses', '/api/v1/expenses/{id}', '/api/v1/expenses/{id}/history'],
  'expense.reviewed': ['/api/v1/expenses', '/api/v1/expenses/{id}', '/api/v1/expenses/{id}/history', '/api/v1/expense-reviews', '/api/v1/notifications'],
  'notification.created': ['/api/v1/notifications'],
};

export function parseLiveEvent(data: string): LiveEvent | null {
  try {
    const event = JSON.parse(data) as unknown;
    if (typeof event !== 'object' || event === null || typeof (event as LiveEvent).type !== 'string') return null;
    return event as LiveEvent;
  } catch {
    // Not JSON: an event the app does not know; nothing to reload.
    return null;
  }
}

/** Fetches again what the event changed; an event the app does not know changes nothing. */
export function applyLiveEvent(queryClient: QueryClient, event: LiveEvent): Promise<unknown> {
  if (event.type === 'ready') return Promise.resolve();
  return invalidate(queryClient, changedBy[event.type] ?? []);
}

export const reconnectDelayMinMs = 1_000;
export const reconnectDelayMaxMs = 60_000;

/** The wait before the nth reconnection in a row (1, 2, 4, … seconds, at most a minute). */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(reconnectDelayMaxMs, reconnectDelayMinMs * 2 ** Math.max(0, attempt));
}
