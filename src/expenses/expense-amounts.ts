/**
 * Amounts of expenses the employee does not pay at a till: mileage is distance times the
 * company's rate per kilometre (rounded half up to a minor unit), a per diem is days times
 * the country's daily rate.
 */
import { divideHalfUp } from './vat.js';

export const mileageMetersMax = 10_000_000; // 10,000 km in one claim
export const perDiemDaysMax = 366;

export function mileageAmount(meters: number, ratePerKm: bigint): bigint {
  if (!Number.isInteger(meters) || meters <= 0 || meters > mileageMetersMax) throw new RangeError(`a distance is 1 to ${mileageMetersMax} metres`);
  return divideHalfUp(BigInt(meters) * ratePerKm, 1000n);
}

export function perDiemAmount(days: number, dailyRate: bigint): bigint {
  if (!Number.isInteger(days) || days < 1 || days > perDiemDaysMax) throw new RangeError(`a per diem covers 1 to ${perDiemDaysMax} days`);
  return BigInt(days) * dailyRate;
}
