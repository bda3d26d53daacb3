// Issue a card to a person. Limits are sent as the decimal strings typed; the API checks
// them against the wallet's currency and names the field when one is wrong. Controls left
// as they are stay out of the request, so the company's defaults apply to them.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Card, CardKind, Person, RequestBody } from '../api/types';
import { cardKindLabels } from '../cards/card-labels';
import { SelectField, TextField } from '../components/fields';
import { formProblem, type FormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import type { Pages } from '../components/use-pages';
import { choicesOf } from '../format';
import { useSession } from '../session';
import { changedControls, controlError, draftFromControls, namesAControl, noControls, type ControlsDraft } from './controls-draft';
import { ControlsFields } from './controls-fields';
import { t } from '../i18n/i18n';

const fieldNames = ['userId', 'kind', 'purpose', 'recipient', 'line1', 'postalCode', 'city', 'country', 'merchantName', 'mcc'] as const;
/** Shown at the top of the form; "More controls" holds the rest. */
const controlsShownFirst = ['limits.monthly', 'perPurchaseMax'];

interface Address {
  recipient: string;
  line1: string;
  postalCode: string;
  city: string;
  country: string;
}

interface IssueDraft {
  userId: string;
  kind: CardKind;
  purpose: string;
  controls: ControlsDraft;
  address: Address;
  merchantName: string;
  mcc: string;
}

const emptyAddress: Address = { recipient: '', line1: '', postalCode: '', city: '', country: '' };
const emptyDraft: Omit<IssueDraft, 'userId' | 'kind'> = { purpose: '', controls: draftFromControls(noControls), address: emptyAddress, merchantName: '', mcc: '' };

function issueRequest(draft: IssueDraft): RequestBody<'issueCard'> {
  const { userId, kind, purpose, address } = draft;
  const changed = changedControls(noControls, draft.controls);
  const trimmedAddress = { recipient: address.recipient.trim(), line1: address.line1.trim(), postalCode: address.postalCode.trim(), city: address.city.trim(), country: address.country.trim().toUpperCase() };
  return {
    userId,
    kind,
    ...(purpose.trim() ? { purpose: purpose.trim() } : {}),
    ...(Object.keys(changed).length > 0 ? { controls: changed } : {}),
    ...(kind === 'physical' ? { shippingAddress: trimmedAddress } : {}),
    ...(kind === 'vendor' ? { vendor: { merchantName: draft.merchantName.trim(), mcc: draft.mcc.trim() || null } } : {}),
  };
}

function personOptions(people: Pages<Person>) {
  const cardholders = people.status === 'ready' ? people.items.filter((person) => person.status !== 'deactivated') : [];
  return [{ value: '', label: t('admin.issue.choosePerson') }, ...cardholders.map((person) => ({ value: person.id, label: person.name }))];
}

export function IssueCardForm({ people }: { people: Pages<Person> }) {
  const [draft, setDraft] = useState<IssueDraft>({ ...emptyDraft, userId: '', kind: 'virtual' });
  const [issued, setIssued] = useState<Card | null>(null);
  const issue = useAction(() => ok(api.POST('/api/v1/cards', { body: issueRequest(draft) })), {
    invalidates: ['/api/v1/cards'],
    onSuccess: (card) => {
      setIssued(card);
      // The cardholder and kind stay chosen for the next card.
      setDraft((previous) => ({ ...previous, ...emptyDraft }));
    },
  });
  const problem = formProblem(issue.error);
  const change = (changes: Partial<IssueDraft>) => setDraft((previous) => ({ ...previous, ...changes }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setIssued(null);
    issue.mutate();
  }

  return (
    <section className="card wide-card" aria-labelledby="issue-card-heading">
      <h2 id="issue-card-heading">{t('admin.issue.heading')}</h2>
      <form className="two-column-form" onSubmit={submit} aria-label={t('admin.issue.heading')}>
        <CardBasics draft={draft} people={people} problem={problem} onChange={change} />
        <MainControls controls={draft.controls} problem={problem} onChange={(controls) => change({ controls })} />
        {draft.kind === 'vendor' && <VendorFields draft={draft} problem={problem} onChange={change} />}
        {draft.kind === 'physical' && <ShippingAddress address={draft.address} problem={problem} onChange={(address) => change({ address })} />}
        <div className="full-row">
          <ProblemMessage problem={namesAControl(problem.problem) ? null : problem.forForm(fieldNames)} />
          <button type="submit" className="primary" disabled={issue.isPending || draft.userId === ''}>
            {issue.isPending ? t('admin.issue.issuing') : t('admin.issue.issue')}
          </button>
        </div>
      </form>
      {issued && (
        <div className="notice success" role="status">
          <p>
            {t('admin.issue.issuedBefore', { kind: cardKindLabels[issued.kind] })} <strong>{issued.last4}</strong> {t('admin.issue.issuedAfter')}
          </p>
        </div>
      )}
    </section>
  );
}

interface PartProps {
  draft: IssueDraft;
  problem: FormProblem;
  onChange: (changes: Partial<IssueDraft>) => void;
}

function CardBasics({ draft, people, problem, onChange }: PartProps & { people: Pages<Person> }) {
  return (
    <>
      <SelectField label={t('admin.cards.cardholder')} value={draft.userId} onChange={(userId) => onChange({ userId })} options={personOptions(people)} error={problem.forField('userId')} />
      <SelectField
        label={t('admin.issue.kind')}
        value={draft.kind}
        onChange={(value) => onChange({ kind: value as CardKind })}
        options={choicesOf(cardKindLabels).map((value) => ({ value, label: cardKindLabels[value] }))}
        error={problem.forField('kind')}
      />
      <TextField label={t('admin.cards.purpose')} autoComplete="off" maxLength={200} value={draft.purpose} onChange={(purpose) => onChange({ purpose })} error={problem.forField('purpose')} />
    </>
  );
}

/** The monthly limit and the per-purchase maximum up front, the other controls folded away
 * (and unfolded when the API names one of them). */
function MainControls({ controls, problem, onChange }: { controls: ControlsDraft; problem: FormProblem; onChange: (controls: ControlsDraft) => void }) {
  const { session } = useSession();
  const errorFor = (name: string) => controlError(problem.problem, name);
  const namesAFoldedControl = namesAControl(problem.problem) && !controlsShownFirst.some((name) => errorFor(name));
  return (
    <>
      <TextField
        label={t('admin.issue.monthlyLimit')}
        inputMode="decimal"
        autoComplete="off"
        hint={t('admin.issue.monthlyLimitHint')}
        value={controls.limits.monthly}
        onChange={(monthly) => onChange({ ...controls, limits: { ...controls.limits, monthly } })}
        error={errorFor('limits.monthly')}
      />
      <TextField
        label={t('admin.controls.perPurchaseMax')}
        inputMode="decimal"
        autoComplete="off"
        hint={t('admin.issue.emptyForNone')}
        value={controls.perPurchaseMax}
        onChange={(perPurchaseMax) => onChange({ ...controls, perPurchaseMax })}
        error={errorFor('perPurchaseMax')}
      />
      <details className="full-row more-controls" open={namesAFoldedControl ? true : undefined}>
        <summary>{t('admin.issue.moreControls')}</summary>
        <p className="muted small-text">{t('admin.issue.defaultsApply')}</p>
        <div className="two-column-form">
          <ControlsFields draft={controls} onChange={onChange} errorFor={errorFor} currency={session.company.currency} omit={controlsShownFirst} />
        </div>
      </details>
    </>
  );
}

function VendorFields({ draft, problem, onChange }: PartProps) {
  return (
    <>
      <TextField label={t('admin.issue.merchantName')} required autoComplete="off" value={draft.merchantName} onChange={(merchantName) => onChange({ merchantName })} error={problem.forField('merchantName')} />
      <TextField label={t('admin.issue.mcc')} inputMode="numeric" pattern="\d{4}" maxLength={4} autoComplete="off" value={draft.mcc} onChange={(mcc) => onChange({ mcc })} error={problem.forField('mcc')} />
    </>
  );
}

function ShippingAddress({ address, problem, onChange }: { address: Address; problem: FormProblem; onChange: (address: Address) => void }) {
  const field = (name: keyof Address) => (value: string) => onChange({ ...address, [name]: value });
  return (
    <fieldset className="full-row two-column-form shipping-address">
      <legend>{t('admin.issue.shippingAddress')}</legend>
      <TextField label={t('admin.issue.recipient')} required value={address.recipient} onChange={field('recipient')} error={problem.forField('recipient')} />
      <TextField label={t('admin.issue.street')} required value={address.line1} onChange={field('line1')} error={problem.forField('line1')} />
      <TextField label={t('admin.issue.postalCode')} required value={address.postalCode} onChange={field('postalCode')} error={problem.forField('postalCode')} />
      <TextField label={t('admin.issue.city')} required value={address.city} onChange={field('city')} error={problem.forField('city')} />
      <TextField label={t('admin.issue.country')} required maxLength={2} hint={t('admin.issue.countryHint')} value={address.country} onChange={field('country')} error={problem.forField('country')} />
    </fieldset>
  );
}
