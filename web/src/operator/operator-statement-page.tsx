// One statement of the top-up account, for operators: each credit says the company it was
// booked for, and one in suspense leads to the queue where it is assigned or returned.
import { StatementPage } from '../banking/statement-page';
import { topUpAccountStatements } from '../banking/statement-collections';
import { companyNamer, useBankCompanies } from './use-bank-companies';
import { t } from '../i18n/i18n';

export function OperatorStatementPage({ id }: { id: string }) {
  const companies = useBankCompanies();
  return <StatementPage collection={topUpAccountStatements} id={id} back={{ href: '/', label: `← ${t('layout.sections.statements')}` }} canDecide companyNameOf={companyNamer(companies)} suspenseHref="/bank/suspense" />;
}
