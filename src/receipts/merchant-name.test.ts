import { describe, expect, it } from 'vitest';
import { normaliseMerchantName } from './merchant-name.js';

describe('normaliseMerchantName', () => {
  it.each([
    ['Acme Trading Sdn. Bhd.', 'ACME TRADING SDN BHD'],
    ['BLUE OWL (M) SDN BHD', 'Blue Owl'],
    ['S.K. HARDWARE', 'SK HARDWARE'],
    ['TAN & SONS PTE LTD', 'TAN AND SONS'],
    ['YONG FATT ENTERPRISE', 'YONGFATT ENTERPRISE'],
    ['99 SPEED MART S/B', '99 SPEED MART SDN BHD'],
    ['Eksempel ApS', 'EKSEMPEL A/S'],
  ])('treats %j and %j as the same merchant', (a, b) => {
    expect(normaliseMerchantName(a)).toBe(normaliseMerchantName(b));
  });

  it.each([
    ['ACME TRADING', 'ACME HARDWARE'],
    // One letter apart is another name: OCR errors are fixed in the reader, never folded here.
    ['SANYU STATIONERY SHOP', 'SANYO STATIONERY SHOP'],
    ['PETRODELI ENTERPRISE', 'PETRODELT ENTERPRISE'],
    ['SB HARDWARE', 'HARDWARE'],
  ])('keeps %j and %j apart', (a, b) => {
    expect(normaliseMerchantName(a)).not.toBe(normaliseMerchantName(b));
  });
});
