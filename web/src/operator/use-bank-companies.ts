// The companies an operator can give a transfer to, with their payment references, loaded
// once for a page: every company, not paged (GET /bank/companies).
import { api } from '../api/client';
import type { BankCompany } from '../api/types';
import { useResource, type ResourceHandle } from '../components/use-resource';
import { bankCompaniesPath } from './bank-paths';

export function useBankCompanies(): ResourceHandle<{ items: BankCompany[] }> {
  return useResource(() => api.get<{ items: BankCompany[] }>(bankCompaniesPath), 'bank-companies');
}

export function companyNamer(companies: ResourceHandle<{ items: BankCompany[] }>): (id: string) => string | undefined {
  return (id) => (companies.resource.status === 'ready' ? companies.resource.data.items.find((company) => company.id === id)?.name : undefined);
}
