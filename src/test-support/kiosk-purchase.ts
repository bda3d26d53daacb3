// A contactless euro purchase at a Danish kiosk as the card network sends it to the
// processor API (POST /api/v1/processor/authorizations), for tests and the verification suite.
import { networkId } from '../simulator/network-client.js';

export const kioskPurchase = (cardId: string, cents: number, id = networkId('auth')) => ({
  id,
  cardId,
  amount: (cents / 100).toFixed(2),
  currency: 'EUR',
  merchant: { id: null, name: 'Kiosk', mcc: '5812', country: 'DK' },
  channel: 'contactless',
  occurredAt: new Date().toISOString(),
});
