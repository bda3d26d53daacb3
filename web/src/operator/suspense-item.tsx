// One credit in suspense: how much, when, from whom and with what message, and the two
// things an operator can do with it, each in its own small form.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { BankCompany, BankEntry } from '../api/types';
import { inGroupsOfFour } from '../banking/bank-labels';
import { TextAreaField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loading, ProblemMessage } from '../components/status';
import { formatDate, formatMoney } from '../format';
import { bankStatementPath, Link } from '../router';
import { CompanyPicker } from './company-picker';
import { t } from '../i18n/i18n';

export interface Decision {
  entry: BankEntry;
  /** What became of it, as the queue tells it afterwards. */
  text: string;
}

interface SuspenseItemProps {
  entry: BankEntry;
  /** Null while the companies load. */
  companies: readonly BankCompany[] | null;
  onDecided: (decision: Decision) => void;
}

/** A decided credit leaves the queue and shows on its statement with what became of it. */
const suspenseChanged = ['/api/v1/bank/suspense', '/api/v1/bank/statements/{id}'] as const;

export const creditLabel = (entry: BankEntry) => t('operator.item.creditFrom', { amount: formatMoney(entry.amount), payer: entry.counterparty.name ?? t('operator.item.unknownPayer') });

export function SuspenseItem({ entry, companies, onDecided }: SuspenseItemProps) {
  const [action, setAction] = useState<'assign' | 'return' | null>(null);
  const label = creditLabel(entry);
  const toggle = (next: 'assign' | 'return') => setAction(action === next ? null : next);
  return (
    <article className="suspense-item" aria-label={label}>
      <div className="expense-summary">
        <div>
          <h3 className="money-in">{formatMoney(entry.amount)}</h3>
          <p className="muted small-text">
            {formatDate(entry.bookingDate)} · {t('operator.item.from', { payer: entry.counterparty.name ?? t('operator.item.unknownPayer') })}
            {entry.counterparty.iban && (
              <>
                {' · '}
                <code>{inGroupsOfFour(entry.counterparty.iban)}</code>
              </>
            )}
          </p>
        </div>
      </div>
      <p className="remittance break">{entry.remittance ? `“${entry.remittance}”` : <span className="muted">{t('operator.item.noMessage')}</span>}</p>
      <p className="muted small-text">
        {entry.bankReference && <>{t('operator.item.bankReference', { reference: entry.bankReference })} · </>}
        <Link href={bankStatementPath(entry.statementId)}>{t('operator.item.onStatement')}</Link>
      </p>
      <div className="row-actions batch-actions">
        <button type="button" className={action === 'assign' ? 'primary small' : 'secondary small'} aria-expanded={action === 'assign'} onClick={() => toggle('assign')}>
          {t('operator.item.assignToCompany')}
        </button>
        <button type="button" className={action === 'return' ? 'primary small' : 'secondary small'} aria-expanded={action === 'return'} onClick={() => toggle('return')}>
          {t('operator.item.return')}
        </button>
      </div>
      {action === 'assign' && (companies ? <AssignForm entry={entry} companies={companies} onDecided={onDecided} /> : <Loading what={t('operator.item.companies')} />)}
      {action === 'return' && <ReturnForm entry={entry} onDecided={onDecided} />}
    </article>
  );
}

function AssignForm({ entry, companies, onDecided }: { entry: BankEntry; companies: readonly BankCompany[]; onDecided: (decision: Decision) => void }) {
  const [companyId, setCompanyId] = useState('');
  const chosen = companies.find((company) => company.id === companyId);
  const assign = useAction((company: BankCompany) => ok(api.POST('/api/v1/bank/entries/{id}/assign', { params: { path: { id: entry.id } }, body: { companyId: company.id } })), {
    invalidates: suspenseChanged,
    onSuccess: (assigned, company) => onDecided({ entry: assigned, text: t('operator.item.assigned', { credit: creditLabel(entry), company: company.name }) }),
  });
  const problem = formProblem(assign.error);
  const busy = assign.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen) assign.mutate(chosen);
  }

  return (
    <form className="inline-form suspense-form" onSubmit={submit} aria-label={t('operator.item.assignNamed', { credit: creditLabel(entry) })} noValidate>
      <CompanyPicker companies={companies} currency={entry.amount.currency} chosen={companyId} onChoose={setCompanyId} error={problem.forField('companyId')} />
      <ProblemMessage problem={problem.forForm(['companyId'])} />
      <button type="submit" className="primary" disabled={busy || !chosen}>
        {busy ? t('operator.item.assigning') : chosen ? t('operator.item.assignTo', { company: chosen.name }) : t('operator.item.assign')}
      </button>
    </form>
  );
}

function ReturnForm({ entry, onDecided }: { entry: BankEntry; onDecided: (decision: Decision) => void }) {
  const [note, setNote] = useState('');
  const markForReturn = useAction(() => ok(api.POST('/api/v1/bank/entries/{id}/return', { params: { path: { id: entry.id } }, body: { note: note.trim() } })), {
    invalidates: suspenseChanged,
    onSuccess: (returned) => onDecided({ entry: returned, text: t('operator.item.markedForReturn', { credit: creditLabel(entry) }) }),
  });
  const problem = formProblem(markForReturn.error);
  const busy = markForReturn.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    markForReturn.mutate();
  }

  return (
    <form className="inline-form suspense-form" onSubmit={submit} aria-label={t('operator.item.returnNamed', { credit: creditLabel(entry) })} noValidate>
      <TextAreaField label={t('operator.item.why')} required maxLength={500} value={note} onChange={setNote} error={problem.forField('note')} hint={t('operator.item.whyHint')} />
      <ProblemMessage problem={problem.forForm(['note'])} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('operator.item.marking') : t('operator.item.markForReturn')}
      </button>
    </form>
  );
}
