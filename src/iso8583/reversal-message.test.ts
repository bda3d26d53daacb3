import { describe, expect, it } from 'vitest';
import { authorizationRequest, reversalRequest } from '../test-support/iso8583-acquirer-messages.js';
import { readAuthorization } from './authorization-message.js';
import type { Iso8583Message } from './message.js';
import { readReversal } from './reversal-message.js';

const now = new Date('2026-11-20T10:05:00Z');
const original = authorizationRequest({
  pan: '4000001234567899',
  amount: 5000n,
  currency: '978',
  merchant: { name: 'Hotel Sund', city: 'Aarhus', country: 'DK', mcc: '7011', id: 'H1' },
  transmittedAt: new Date('2026-11-20T10:00:00Z'),
  stan: '000777',
  retrievalReference: '632410000777',
  acquirer: '4711',
});
const reversal = reversalRequest(original, { transmittedAt: new Date('2026-11-20T10:04:59Z'), stan: '000778' });
const originalId = (() => {
  const reading = readAuthorization(original, now);
  return reading.ok ? reading.value.request.networkId : null;
})();

describe('reading an 0400 as a reversal', () => {
  it('names the original by field 90 and its own field 37, and releases all of field 4', () => {
    expect(readReversal(reversal, now)).toEqual({
      ok: true,
      value: {
        pan: '4000001234567899',
        event: {
          id: 'iso8583-reversal:4711:20261120100459:000778:632410000777',
          type: 'reversal',
          transactionNetworkId: originalId,
          amount: '50.00',
          currency: 'EUR',
          occurredAt: new Date('2026-11-20T10:04:59Z'),
        },
      },
    });
  });

  it('releases only what did not take place when field 95 states the actual amount', () => {
    const partial = readReversal(reversalRequest(original, { transmittedAt: now, stan: '000779', actualAmount: 3200n }), now);
    expect(partial.ok && partial.value.event).toMatchObject({ amount: '18.00', currency: 'EUR' });
    const none = readReversal(reversalRequest(original, { transmittedAt: now, stan: '000780', actualAmount: 0n }), now);
    expect(none.ok && none.value.event).toMatchObject({ amount: '50.00' });
  });

  it('gives a repeat (0401) the id of its first sending', () => {
    const first = readReversal(reversal, now);
    const repeat = readReversal({ ...reversal, mti: '0401' }, now);
    expect(first.ok && repeat.ok && repeat.value.event.id === first.value.event.id).toBe(true);
  });

  it('reverses everything when field 4 is absent', () => {
    const fields = { ...reversal.fields };
    delete fields[4];
    const reading = readReversal({ mti: '0400', fields }, now);
    expect(reading.ok && reading.value.event.amount).toBeUndefined();
  });

  const refusals: [string, Iso8583Message, string][] = [
    ['no original data elements', { mti: '0400', fields: Object.fromEntries(Object.entries(reversal.fields).filter(([key]) => key !== '90')) }, '30'],
    ['an actual amount above the original', reversalRequest(original, { transmittedAt: now, stan: '000781', actualAmount: 5001n }), '64'],
    ['an actual amount equal to the original', reversalRequest(original, { transmittedAt: now, stan: '000782', actualAmount: 5000n }), '13'],
    ['an original time that is no date', { mti: '0400', fields: { ...reversal.fields, 90: '0100000777' + '1399100000' + '0'.repeat(22) } }, '30'],
  ];

  it.each(refusals)('refuses %s', (_name, request, responseCode) => {
    const reading = readReversal(request, now);
    expect(reading.ok ? null : reading.responseCode).toBe(responseCode);
  });
});
