import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { applyLiveEvent, changedBy, parseLiveEvent, reconnectDelayMaxMs, reconnectDelayMs } from './live-events';

describe('live events in the web app', () => {
  it('reads an event and refuses what is not one', () => {
    expect(parseLiveEvent('{"type":"receipt.read","subject":{"type":"receipt","id":"rct_1"}}')).toEqual({ type: 'receipt.read', subject: { type: 'receipt', id: 'rct_1' } });
    expect(parseLiveEvent('not json')).toBeNull();
    expect(parseLiveEvent('{"subject":{}}')).toBeNull();
  });

  it.each([
    ['card_transaction.authorized', ['/api/v1/card-transactions', '/api/v1/wallet', '/api/v1/notifications']],
    ['receipt.read', ['/api/v1/receipts', '/api/v1/expenses/{id}']],
    ['expense.reviewed', ['/api/v1/expenses/{id}', '/api/v1/expense-reviews']],
    ['notification.created', ['/api/v1/notifications']],
  ] as const)('a %s event makes its lists and items stale', (type, paths) => {
    expect(changedBy[type]).toEqual(expect.arrayContaining([...paths]));
  });

  it('marks stale the queries of the paths an event changed, and no other', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(['/api/v1/notifications', {}], { items: [] });
    queryClient.setQueryData(['/api/v1/people', {}], { items: [] });
    await applyLiveEvent(queryClient, { type: 'notification.created', subject: { type: 'notification', id: 'ntf_1' } });
    expect(queryClient.getQueryState(['/api/v1/notifications', {}])?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(['/api/v1/people', {}])?.isInvalidated).toBe(false);
  });

  it('waits longer after each failed reconnection, up to a minute', () => {
    expect([0, 1, 2, 3].map(reconnectDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(reconnectDelayMs(20)).toBe(reconnectDelayMaxMs);
  });
});
