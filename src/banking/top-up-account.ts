/** The platform's bank account that companies pay into to fund their wallets (from the configuration). */
export interface TopUpAccount {
  iban: string;
  bic: string | null;
  name: string;
  currency: string;
}
