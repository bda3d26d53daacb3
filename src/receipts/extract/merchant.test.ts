import { describe, expect, it } from 'vitest';
import { findMerchant } from './merchant.js';

const lines = (text: string): string[] => text.trim().split('\n');

describe('findMerchant', () => {
  it.each([
    ['takes the line with a business suffix', 'welcome!\nKEDAI RUNCIT MAJU JAYA\nNO. 5, JALAN MAWAR', 'KEDAI RUNCIT MAJU JAYA'],
    ['skips noise and registration numbers above the name', '~ ,\n(123456-K)\nBLUE OWL TRADING\nTEL 03-1234 5678', 'BLUE OWL TRADING'],
    ['joins a suffix printed on its own line', 'GREENLEAF HOLDINGS\nSDN BHD\n(99887-A)', 'GREENLEAF HOLDINGS SDN BHD'],
    ['falls back to the first capitalised name line', 'TAX INVOICE\nCORNER NOODLE HOUSE\n12 HIGH STREET', 'CORNER NOODLE HOUSE'],
    ['drops the registration number and reads a misread SDN BHD', 'ZENITH MOTORS 5DN BHD (123456-X)\nTEL 03-1234', 'ZENITH MOTORS SDN BHD'],
    ['joins a branch name wrapped onto the next line', 'HIGHWAY TYRE CENTRE\n(BATU CAVES) SDN BHD\n(1234-A)', 'HIGHWAY TYRE CENTRE (BATU CAVES) SDN BHD'],
    ['drops a company number with a misread label', 'Sunrise Realty Sdn Bhd (Co. Ko:20154-T)', 'Sunrise Realty Sdn Bhd'],
    ['skips an address line with a postcode', 'TAX INVOICE\n81100 JOHOR BAHRU\nMEGA MART', 'MEGA MART'],
    ['ignores handwritten lower-case scribbles', 'ab xyz\nSUNRISE KOPITIAM\nTEL 07-5551234', 'SUNRISE KOPITIAM'],
  ])('%s', (_name, text, expected) => {
    expect(findMerchant(lines(text))?.value).toBe(expected);
  });

  it('returns null when the header has no name-like line', () => {
    expect(findMerchant(lines('12/03/2019\n#### 45\nTEL 1234'))).toBeNull();
  });
});
