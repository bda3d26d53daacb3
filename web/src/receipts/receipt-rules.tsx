// The company's receipt rules: above which amount a purchase needs a receipt, after how many
// days Outlay reminds the cardholder, whether it freezes the card when one stays missing, and
// how far a receipt's total may be from the amount claimed before it counts as disagreeing.
// Admins change them; bookkeepers and reviewers read them.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction, type GetPath } from '../api/queries';
import type { ReceiptSettings } from '../api/types';
import { AmountField } from '../components/amount-field';
import { TextField } from '../components/fields';
import { formProblem, type FormProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { ProblemMessage } from '../components/status';
import { writeAmountInput } from '../amount-input';
import { formatMoney } from '../format';
import { formatLocale } from '../i18n/locale';
import { t } from '../i18n/i18n';

const fieldNames = ['requiredAbove', 'reminderAfterDays', 'freezeAfterDays', 'amountTolerance'] as const;
/** The range PATCH /receipt-settings accepts. */
const reminderDaysMax = 90;
const freezeDaysMax = 365;
/** src/receipts/receipt-check.ts amountToleranceBasisPointsMax, as a percentage. */
const toleranceShareMax = 25;
/** A new threshold changes which purchases need a receipt, and so what is missing. */
const rulesChanged: readonly GetPath[] = ['/api/v1/receipt-settings', '/api/v1/receipts/missing/by-person', '/api/v1/receipts/missing', '/api/v1/card-transactions'];

export function ReceiptRules({ editable }: { editable: boolean }) {
  const settings = useQuery(getQuery('/api/v1/receipt-settings'));
  return (
    <section aria-labelledby="receipt-rules-heading">
      <h3 id="receipt-rules-heading">{t('receipts.rules.heading')}</h3>
      <Loaded query={settings} what={t('receipts.rules.loading')}>
        {(data) => (editable ? <RulesForm settings={data} /> : <RulesFacts settings={data} />)}
      </Loaded>
    </section>
  );
}

function RulesFacts({ settings }: { settings: ReceiptSettings }) {
  return (
    <dl className="facts">
      <div>
        <dt>{t('receipts.rules.needed')}</dt>
        <dd>{t('receipts.rules.above', { amount: formatMoney(settings.requiredAbove) })}</dd>
      </div>
      <div>
        <dt>{t('receipts.rules.reminder')}</dt>
        <dd>{t('receipts.rules.after', { count: settings.reminderAfterDays })}</dd>
      </div>
      <div>
        <dt>{t('receipts.rules.frozen')}</dt>
        <dd>{settings.freezeAfterDays === null ? t('receipts.rules.never') : t('receipts.rules.after', { count: settings.freezeAfterDays })}</dd>
      </div>
      <div>
        <dt>{t('receipts.rules.agrees')}</dt>
        <dd>{toleranceText(settings)}</dd>
      </div>
    </dl>
  );
}

const toleranceWords = ({ amountTolerance }: ReceiptSettings) => ({ percent: writeAmountInput(amountTolerance.percent, formatLocale()), fixed: formatMoney(amountTolerance.fixed) });
const toleranceText = (settings: ReceiptSettings) => t('receipts.rules.tolerance', toleranceWords(settings));

/** The rules as the form holds them: text as typed. */
interface RulesDraft {
  requiredAbove: string;
  reminderAfterDays: string;
  freezes: boolean;
  freezeAfterDays: string;
  tolerancePercent: string;
  toleranceFixed: string;
}

const draftOf = (settings: ReceiptSettings): RulesDraft => ({
  requiredAbove: settings.requiredAbove.amount,
  reminderAfterDays: String(settings.reminderAfterDays),
  freezes: settings.freezeAfterDays !== null,
  freezeAfterDays: String(settings.freezeAfterDays ?? Math.max(14, settings.reminderAfterDays)),
  tolerancePercent: settings.amountTolerance.percent,
  toleranceFixed: settings.amountTolerance.fixed.amount,
});

function RulesForm({ settings }: { settings: ReceiptSettings }) {
  const [draft, setDraft] = useState(() => draftOf(settings));
  const [saved, setSaved] = useState<ReceiptSettings | null>(null);
  const body = {
    requiredAbove: draft.requiredAbove.trim(),
    reminderAfterDays: Number(draft.reminderAfterDays),
    freezeAfterDays: draft.freezes ? Number(draft.freezeAfterDays) : null,
    amountTolerance: { percent: draft.tolerancePercent.trim(), fixed: draft.toleranceFixed.trim() },
  };
  const save = useAction(() => ok(api.PATCH('/api/v1/receipt-settings', { body })), { invalidates: rulesChanged, onSuccess: setSaved });
  const problem = formProblem(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    save.mutate();
  }

  return (
    <form className="receipt-rules" onSubmit={submit} aria-label={t('receipts.rules.heading')}>
      <RulesFields draft={draft} currency={settings.requiredAbove.currency} problem={problem} onChange={(changes) => setDraft({ ...draft, ...changes })} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? t('expenses.editor.saving') : t('receipts.rules.save')}
      </button>
      {saved && (
        <p className="notice success" role="status">
          {saved.freezeAfterDays === null
            ? t('receipts.rules.savedNeverFrozen', { amount: formatMoney(saved.requiredAbove) })
            : t('receipts.rules.savedFrozen', { amount: formatMoney(saved.requiredAbove), count: saved.freezeAfterDays })}{' '}
          {t('receipts.rules.savedAgrees', toleranceWords(saved))}
        </p>
      )}
    </form>
  );
}

interface RulesFieldsProps {
  draft: RulesDraft;
  currency: string;
  problem: FormProblem;
  onChange: (changes: Partial<RulesDraft>) => void;
}

function RulesFields({ draft, currency, problem, onChange }: RulesFieldsProps) {
  return (
    <>
      <AmountField
        label={t('receipts.rules.neededAbove', { currency })}
        required
        currency={currency}
        hint={t('receipts.rules.neededHint')}
        value={draft.requiredAbove}
        onChange={(requiredAbove) => onChange({ requiredAbove })}
        error={problem.forField('requiredAbove')}
      />
      <TextField
        label={t('receipts.rules.remindAfter')}
        type="number"
        required
        min={1}
        max={reminderDaysMax}
        value={draft.reminderAfterDays}
        onChange={(reminderAfterDays) => onChange({ reminderAfterDays })}
        error={problem.forField('reminderAfterDays')}
      />
      <div className="field">
        <label className="checkbox">
          <input type="checkbox" checked={draft.freezes} onChange={(event) => onChange({ freezes: event.target.checked })} />
          {t('receipts.rules.freeze')}
        </label>
        <small className="hint">{t('receipts.rules.unfreezes')}</small>
      </div>
      {draft.freezes && (
        <TextField
          label={t('receipts.rules.freezeAfter')}
          type="number"
          required
          min={1}
          max={freezeDaysMax}
          hint={t('receipts.rules.freezeHint')}
          value={draft.freezeAfterDays}
          onChange={(freezeAfterDays) => onChange({ freezeAfterDays })}
          error={problem.forField('freezeAfterDays')}
        />
      )}
      <ToleranceFields draft={draft} currency={currency} problem={problem} onChange={onChange} />
    </>
  );
}

/** How far a receipt's total may be from the amount claimed: a tip, an exchange rate. */
function ToleranceFields({ draft, currency, problem, onChange }: RulesFieldsProps) {
  return (
    <fieldset className="tolerance-fields">
      <legend>{t('receipts.rules.withinLegend')}</legend>
      <div className="two-column-form">
        <AmountField
          label={t('receipts.rules.share')}
          decimals={2}
          required
          hint={t('receipts.rules.shareHint', { max: toleranceShareMax })}
          value={draft.tolerancePercent}
          onChange={(tolerancePercent) => onChange({ tolerancePercent })}
          error={problem.forField('amountTolerance.percent')}
        />
        <AmountField
          label={t('receipts.rules.fixed', { currency })}
          currency={currency}
          required
          hint={t('receipts.rules.fixedHint')}
          value={draft.toleranceFixed}
          onChange={(toleranceFixed) => onChange({ toleranceFixed })}
          error={problem.forField('amountTolerance.fixed')}
        />
      </div>
    </fieldset>
  );
}
