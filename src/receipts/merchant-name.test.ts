import { describe, expect, it } from 'vitest';
import { normaliseMerchantName } from './merchant-name.js';

describe('normaliseMerchantName', () => {
  it.each([
    ['Acme Trading Sdn. Bhd.', 'ACME TRADING SDN BHD'],
    ['BLUE OWL (M) SDN BHD', 'Blue Owl'],
    ['S.K. HARDWARE', 'SK HARDWARE'],
    ['TAN & SONS PTE LTD', 'TAN AND SONS'],
    ['YONG FATT ENTERPRISE', 'YONGFATT ENTERPRISE'],
  ])('treats %j and %j as the same merchant', (a, b) => {
    expect(normaliseMerchantName(a)).toBe(normaliseMerchantName(b));
  });

  it('keeps different merchants apart', () => {
    expect(normaliseMerchantName('ACME TRADING')).not.toBe(normaliseMerchantName('ACME HARDWARE'));
  });
});
