import { describe, expect, it } from 'vitest';
import { authorizationRequest, type Purchase } from '../test-support/iso8583-acquirer-messages.js';
import { readAuthorization } from './authorization-message.js';
import type { Iso8583Message } from './message.js';

const now = new Date('2026-11-20T10:00:03Z');
const purchase: Purchase = {
  pan: '4000001234567899',
  amount: 1250n,
  currency: '978',
  merchant: { name: 'Cafe Nord', city: 'Copenhagen', country: 'DK', mcc: '5814', id: 'M42' },
  transmittedAt: new Date('2026-11-20T10:00:00Z'),
  stan: '000123',
  retrievalReference: '632410000123',
  acquirer: '123456',
};
const message = authorizationRequest(purchase);
const without = (number: number): Iso8583Message => ({ mti: '0100', fields: Object.fromEntries(Object.entries(message.fields).filter(([key]) => Number(key) !== number)) });
const withField = (number: number, value: string): Iso8583Message => ({ mti: '0100', fields: { ...message.fields, [number]: value } });

describe('reading an 0100 as an authorization request', () => {
  it('reads card, amount, merchant, channel, time and a network id', () => {
    expect(readAuthorization(message, now)).toEqual({
      ok: true,
      value: {
        pan: '4000001234567899',
        request: {
          networkId: 'iso8583:123456:20261120100000:000123:632410000123',
          kind: 'purchase',
          amount: '12.50',
          currency: 'EUR',
          merchant: { id: 'M42', name: 'Cafe Nord', mcc: '5814', country: 'DK' },
          channel: 'in_person',
          occurredAt: new Date('2026-11-20T10:00:00Z'),
        },
      },
    });
  });

  it('reads field 4 in the minor units of the currency: yen have none', () => {
    const yen = readAuthorization(authorizationRequest({ ...purchase, currency: '392' }), now);
    expect(yen.ok && yen.value.request).toMatchObject({ amount: '1250', currency: 'JPY' });
  });

  it('gives the same network id to a repeat, whatever its MTI, and another to another trace number', () => {
    const id = (m: Iso8583Message) => {
      const reading = readAuthorization(m, now);
      return reading.ok ? reading.value.request.networkId : null;
    };
    expect(id({ ...message, mti: '0101' })).toBe(id(message));
    expect(id({ ...message, fields: { ...message.fields, 32: '00123456' } })).toBe(id(message));
    expect(id(withField(11, '000124'))).not.toBe(id(message));
  });

  it('reads a cash withdrawal (processing code 01) as one, at an ATM', () => {
    const reading = readAuthorization(withField(3, '010000'), now);
    expect(reading.ok && reading.value.request).toMatchObject({ kind: 'atm_withdrawal', channel: 'atm' });
  });

  const refusals: [string, Iso8583Message, string, RegExp][] = [
    ['no PAN', without(2), '30', /field 2 is required/],
    ['no retrieval reference', without(37), '30', /field 37 is required/],
    ['a refund processing code', withField(3, '200000'), '40', /processing code 200000/],
    ['an unknown currency', withField(49, '999'), '57', /currency 999/],
    ['a zero amount', withField(4, '000000000000'), '13', /zero/],
    ['a transmission time that is no date', withField(7, '1332100000'), '30', /field 7/],
    ['no merchant name', withField(43, ' '.repeat(38) + 'DK'), '30', /merchant name/],
    ['a numeric country', withField(43, 'Cafe Nord'.padEnd(38) + '20'), '30', /alpha-2 country/],
  ];

  it.each(refusals)('refuses %s', (_name, request, responseCode, reason) => {
    const reading = readAuthorization(request, now);
    expect(reading.ok).toBe(false);
    if (!reading.ok) {
      expect(reading.responseCode).toBe(responseCode);
      expect(reading.reason).toMatch(reason);
    }
  });
});
