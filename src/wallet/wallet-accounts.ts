// The ledger accounts every company has from the start. The wallet is the company's
// prefunded balance, an asset that may never be overdrawn; top-ups are credited to the
// funding account, which shows how much the company has paid in.
import type { AccountType } from '../db/schema.js';

export const walletAccountCode = 'wallet';
export const walletFundingAccountCode = 'wallet_funding';

export const walletAccounts: readonly { code: string; name: string; type: AccountType; noOverdraft: boolean }[] = [
  { code: walletAccountCode, name: 'Wallet', type: 'asset', noOverdraft: true },
  { code: walletFundingAccountCode, name: 'Wallet funding (bank transfers in)', type: 'equity', noOverdraft: false },
];
