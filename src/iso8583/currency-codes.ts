// ISO 4217 numeric currency codes, as ISO 8583 fields 49-51 carry them, to the alphabetic
// codes the rest of Outlay uses. The common currencies of card spending; a code not here is
// answered as a currency Outlay does not support.
import { isCurrency } from '../money/money.js';

const numericToAlpha: ReadonlyMap<string, string> = new Map([
  ['032', 'ARS'], ['036', 'AUD'], ['048', 'BHD'], ['124', 'CAD'], ['152', 'CLP'], ['156', 'CNY'],
  ['170', 'COP'], ['203', 'CZK'], ['208', 'DKK'], ['344', 'HKD'], ['348', 'HUF'], ['352', 'ISK'],
  ['356', 'INR'], ['360', 'IDR'], ['376', 'ILS'], ['392', 'JPY'], ['400', 'JOD'], ['404', 'KES'],
  ['410', 'KRW'], ['414', 'KWD'], ['458', 'MYR'], ['484', 'MXN'], ['504', 'MAD'], ['512', 'OMR'],
  ['554', 'NZD'], ['566', 'NGN'], ['578', 'NOK'], ['604', 'PEN'], ['608', 'PHP'], ['634', 'QAR'],
  ['682', 'SAR'], ['702', 'SGD'], ['704', 'VND'], ['710', 'ZAR'], ['752', 'SEK'], ['756', 'CHF'],
  ['764', 'THB'], ['784', 'AED'], ['788', 'TND'], ['818', 'EGP'], ['826', 'GBP'], ['840', 'USD'],
  ['901', 'TWD'], ['941', 'RSD'], ['946', 'RON'], ['949', 'TRY'], ['975', 'BGN'], ['978', 'EUR'],
  ['980', 'UAH'], ['985', 'PLN'], ['986', 'BRL'],
]);

const alphaToNumeric: ReadonlyMap<string, string> = new Map([...numericToAlpha].map(([numeric, alpha]) => [alpha, numeric]));

/** The alphabetic code of a field 49 value, numeric ("978") or, as 1987 also allows, alphabetic ("EUR"). */
export function currencyOfCode(code: string): string | null {
  if (/^[0-9]{3}$/.test(code)) return numericToAlpha.get(code) ?? null;
  if (/^[A-Z]{3}$/.test(code) && isCurrency(code)) return code;
  return null;
}

export function numericCodeOf(currency: string): string | null {
  return alphaToNumeric.get(currency) ?? null;
}
