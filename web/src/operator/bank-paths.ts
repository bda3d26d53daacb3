// The operators' API: the platform's top-up account, its statements and its suspense queue.
export const bankStatementsPath = '/bank/statements';
export const suspensePath = '/bank/suspense';
export const bankCompaniesPath = '/bank/companies';
