import { describe, expect, it } from 'vitest';
import { merchantCandidates, pickMerchant } from './merchant.js';
import type { OcrLine } from './ocr-page.js';

const findMerchant = (lines: readonly (string | OcrLine)[]) => pickMerchant(merchantCandidates(lines.map((l) => (typeof l === 'string' ? { text: l, confidence: 1 } : l))));

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
    ['reads a misread Malaysia marker', 'MR. D.I.Y. (H) SIN BHD\nLOT 1851-A', 'MR. D.I.Y. (M) SDN BHD'],
    ['reads "5D BHD" as SDN BHD', 'HERO DISTRIBUTION 5D BHD\n(123456-X)', 'HERO DISTRIBUTION SDN BHD'],
    ['reads a misread short form S/B', '99 SPEED MART 5/8 {519537-X)\nLOT P.T. 2811, JALAN ANGSA', '99 SPEED MART S/B'],
    ['joins a name with an open bracket to its next line', 'AIK HUAT HARDWARE ENTERPRISE (SETIA\nALAM) SDN BHD\n822737-X', 'AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD'],
    ['does not join the address to a name starting with a speck bracket', '[LEONG HENG SHELL SERVICE STATION\nCompany No :256628-W\nLOT 26151 BANDAR SG LONG,', 'LEONG HENG SHELL SERVICE STATION'],
    ['prefers the name on top to the legal owner printed below it', 'SANYU STATIONERY SHOP\nNO. 31G, JALAN SETIA\nOwned By\nSANYU SUPPLY SDN BHD (1135772-K)', 'SANYU STATIONERY SHOP'],
    ['prefers the name on top to a customer named further down', 'GARDENIA BAKERIES (KL) SDN BHD\nLot 3, Jalan Pelabur 23/1,\n40300 Shah Alam\nTel: 03-55423228\nTAX INVOICE\nCash Inv No.: 7803F712\nMAKASSAR FRESH MARKET SDN BHD', 'GARDENIA BAKERIES (KL) SDN BHD'],
    ['drops specks read as a letter and a dot before the name', 'z . BEMED (SP) SDN BHD\nNo.49, Jalan Dinar', 'BEMED (SP) SDN BHD'],
    ['skips a Swedish receipt title above the name', 'Kvitto\nKaffebaren i Lund AB\nOrg.nr 556677-8899', 'Kaffebaren i Lund AB'],
    ['keeps Danish letters in the name', 'Møbelhuset A/S\nVestergade 12, 8000 Aarhus C\nCVR 12345678', 'Møbelhuset A/S'],
    ['skips a German title and keeps umlauts', 'Kassenbon\nBäckerei Müller GmbH\nHauptstraße 5, 10115 Berlin', 'Bäckerei Müller GmbH'],
    ['skips a Danish title', 'KVITTERING\nBRUGSEN VIBY\nTLF 86 14 00 00', 'BRUGSEN VIBY'],
    ['skips a sentence', 'Thanks for your order!\nAcme Books Ltd\nOrder #12345', 'Acme Books Ltd'],
  ])('%s', (_name, text, expected) => {
    expect(findMerchant(lines(text))?.value).toBe(expected);
  });

  it('prefers a name OCR read clearly to a smudge read above it', () => {
    const read = findMerchant([
      { text: 'WXYZ QRST', confidence: 0.2 },
      { text: 'SUNRISE KOPITIAM', confidence: 0.95 },
    ]);
    expect(read?.value).toBe('SUNRISE KOPITIAM');
  });

  it('returns null when the header has no name-like line', () => {
    expect(findMerchant(lines('12/03/2019\n#### 45\nTEL 1234'))).toBeNull();
  });
});
