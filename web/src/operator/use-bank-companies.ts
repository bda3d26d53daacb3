// The companies an operator can give a transfer to, with their payment references: every
// company, not paged (GET /api/v1/bank/companies).
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import type { BankCompany } from '../api/types';

export type BankCompanies = UseQueryResult<{ items: BankCompany[] }>;

export function useBankCompanies(): BankCompanies {
  return useQuery(getQuery('/api/v1/bank/companies'));
}

export function companyNamer(companies: BankCompanies): (id: string) => string | undefined {
  return (id) => companies.data?.items.find((company) => company.id === id)?.name;
}
