// Named groups of merchant category codes (ISO 18245 MCCs) that spending controls allow or
// block. A code may sit in several groups (an airline is travel and airlines).

export const merchantCategoryGroups = {
  restaurants: [[5811, 5814]],
  groceries: [[5411, 5411], [5422, 5422], [5441, 5441], [5451, 5451], [5462, 5462], [5499, 5499]],
  airlines: [[3000, 3350], [4511, 4511]],
  car_rental: [[3351, 3500], [7512, 7512], [7513, 7513], [7519, 7519]],
  hotels: [[3501, 3999], [7011, 7011]],
  travel: [[3000, 3999], [4011, 4011], [4111, 4131], [4411, 4411], [4457, 4457], [4468, 4468], [4511, 4511], [4582, 4582], [4722, 4722], [4784, 4789], [7011, 7012], [7512, 7519]],
  transport: [[4111, 4131], [4784, 4784], [4789, 4789], [7523, 7523]],
  fuel: [[5541, 5542], [5983, 5983], [5552, 5552]],
  atm: [[6011, 6011]],
  cash: [[6010, 6011], [6050, 6051], [4829, 4829]],
  software: [[5734, 5734], [5817, 5818], [7372, 7372], [7379, 7379]],
  office: [[5044, 5044], [5111, 5111], [5943, 5943], [5045, 5045]],
  telecom: [[4812, 4816], [4899, 4899]],
  advertising: [[7311, 7311]],
  entertainment: [[7832, 7832], [7922, 7922], [7929, 7929], [7991, 7999]],
  gambling: [[7800, 7802], [7995, 7995]],
  professional_services: [[8111, 8111], [8931, 8931], [8999, 8999], [7392, 7392]],
} as const satisfies Record<string, readonly (readonly [number, number])[]>;

export type MerchantCategoryGroup = keyof typeof merchantCategoryGroups;

export const merchantCategoryGroupNames = Object.keys(merchantCategoryGroups) as MerchantCategoryGroup[];

export function isMerchantCategoryGroup(name: string): name is MerchantCategoryGroup {
  return Object.hasOwn(merchantCategoryGroups, name);
}

export function isValidMcc(mcc: string): boolean {
  return /^\d{4}$/.test(mcc);
}

export function inGroup(mcc: string, group: MerchantCategoryGroup): boolean {
  const code = Number(mcc);
  return merchantCategoryGroups[group].some(([from, to]) => code >= from && code <= to);
}

/** Holds at hotels and car rental stay open longer: the final bill comes at check-out. */
export function isLongHoldMerchant(mcc: string): boolean {
  return inGroup(mcc, 'hotels') || inGroup(mcc, 'car_rental');
}
