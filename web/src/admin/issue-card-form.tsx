// Issue a card to a person. Limits are sent as the decimal strings typed; the API checks
// them against the wallet's currency and names the field when one is wrong. Controls left
// as they are stay out of the request, so the company's defaults apply to them.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { cardKinds, type Card, type CardKind, type Person } from '../api/types';
import { cardKindLabels } from '../cards/card-labels';
import { SelectField, TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import type { Pages } from '../components/use-pages';
import { useSession } from '../session';
import { changedControls, controlError, draftFromControls, namesAControl, noControls, type ControlsDraft } from './controls-draft';
import { ControlsFields } from './controls-fields';

const fieldNames = ['userId', 'kind', 'purpose', 'recipient', 'line1', 'postalCode', 'city', 'country', 'merchantName', 'mcc'] as const;

interface Address {
  recipient: string;
  line1: string;
  postalCode: string;
  city: string;
  country: string;
}

const emptyAddress: Address = { recipient: '', line1: '', postalCode: '', city: '', country: '' };
const emptyControls: ControlsDraft = draftFromControls(noControls);
/** Shown at the top of the form; "More controls" holds the rest. */
const controlsShownFirst = ['limits.monthly', 'perPurchaseMax'];

function personOptions(people: Pages<Person>) {
  const cardholders = people.status === 'ready' ? people.items.filter((person) => person.status !== 'deactivated') : [];
  return [{ value: '', label: 'Choose a person' }, ...cardholders.map((person) => ({ value: person.id, label: person.name }))];
}

export function IssueCardForm({ people, onIssued }: { people: Pages<Person>; onIssued: (card: Card) => void }) {
  const [userId, setUserId] = useState('');
  const [kind, setKind] = useState<CardKind>('virtual');
  const [purpose, setPurpose] = useState('');
  const [controls, setControls] = useState<ControlsDraft>(emptyControls);
  const [address, setAddress] = useState<Address>(emptyAddress);
  const [merchantName, setMerchantName] = useState('');
  const [mcc, setMcc] = useState('');
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<Card | null>(null);
  const problem = useFormProblem();
  const { session } = useSession();
  const controlErrorFor = (name: string) => controlError(problem.problem, name);
  const addressField = (name: keyof Address) => (value: string) => setAddress((previous) => ({ ...previous, [name]: value }));

  function requestBody() {
    const changed = changedControls(noControls, controls);
    const trimmedAddress = Object.fromEntries(Object.entries(address).map(([name, value]) => [name, value.trim()]));
    return {
      userId,
      kind,
      ...(purpose.trim() ? { purpose: purpose.trim() } : {}),
      ...(Object.keys(changed).length > 0 ? { controls: changed } : {}),
      ...(kind === 'physical' ? { shippingAddress: { ...trimmedAddress, country: address.country.trim().toUpperCase() } } : {}),
      ...(kind === 'vendor' ? { vendor: { merchantName: merchantName.trim(), mcc: mcc.trim() || null } } : {}),
    };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    setIssued(null);
    try {
      const card = await api.post<Card>('/cards', requestBody());
      onIssued(card);
      setIssued(card);
      setPurpose('');
      setControls(emptyControls);
      setAddress(emptyAddress);
      setMerchantName('');
      setMcc('');
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card wide-card" aria-labelledby="issue-card-heading">
      <h2 id="issue-card-heading">Issue a card</h2>
      <form className="two-column-form" onSubmit={submit} aria-label="Issue a card">
        <SelectField label="Cardholder" value={userId} onChange={setUserId} options={personOptions(people)} error={problem.forField('userId')} />
        <SelectField
          label="Kind"
          value={kind}
          onChange={(value) => setKind(value as CardKind)}
          options={cardKinds.map((value) => ({ value, label: cardKindLabels[value] }))}
          error={problem.forField('kind')}
        />
        <TextField label="Purpose" autoComplete="off" maxLength={200} value={purpose} onChange={setPurpose} error={problem.forField('purpose')} />
        <TextField
          label="Monthly limit"
          inputMode="decimal"
          autoComplete="off"
          hint="For example 500.00; empty for none"
          value={controls.limits.monthly}
          onChange={(monthly) => setControls({ ...controls, limits: { ...controls.limits, monthly } })}
          error={controlErrorFor('limits.monthly')}
        />
        <TextField
          label="Per-purchase maximum"
          inputMode="decimal"
          autoComplete="off"
          hint="Empty for none"
          value={controls.perPurchaseMax}
          onChange={(perPurchaseMax) => setControls({ ...controls, perPurchaseMax })}
          error={controlErrorFor('perPurchaseMax')}
        />
        <details className="full-row more-controls" open={namesAControl(problem.problem) && !controlsShownFirst.some((name) => controlErrorFor(name)) ? true : undefined}>
          <summary>More controls</summary>
          <p className="muted small-text">Controls left empty take the company's defaults.</p>
          <div className="two-column-form">
            <ControlsFields draft={controls} onChange={setControls} errorFor={controlErrorFor} currency={session.company.currency} omit={controlsShownFirst} />
          </div>
        </details>
        {kind === 'vendor' && (
          <>
            <TextField label="Merchant name" required autoComplete="off" value={merchantName} onChange={setMerchantName} error={problem.forField('merchantName')} />
            <TextField label="Merchant category code (MCC)" inputMode="numeric" pattern="\d{4}" maxLength={4} autoComplete="off" value={mcc} onChange={setMcc} error={problem.forField('mcc')} />
          </>
        )}
        {kind === 'physical' && (
          <fieldset className="full-row two-column-form shipping-address">
            <legend>Shipping address</legend>
            <TextField label="Recipient" required value={address.recipient} onChange={addressField('recipient')} error={problem.forField('recipient')} />
            <TextField label="Street and number" required value={address.line1} onChange={addressField('line1')} error={problem.forField('line1')} />
            <TextField label="Postal code" required value={address.postalCode} onChange={addressField('postalCode')} error={problem.forField('postalCode')} />
            <TextField label="City" required value={address.city} onChange={addressField('city')} error={problem.forField('city')} />
            <TextField label="Country" required maxLength={2} hint="Two letters, e.g. DK" value={address.country} onChange={addressField('country')} error={problem.forField('country')} />
          </fieldset>
        )}
        <div className="full-row">
          <ProblemMessage problem={namesAControl(problem.problem) ? null : problem.forForm(fieldNames)} />
          <button type="submit" className="primary" disabled={busy || userId === ''}>
            {busy ? 'Issuing…' : 'Issue card'}
          </button>
        </div>
      </form>
      {issued && (
        <div className="notice success" role="status">
          <p>
            {cardKindLabels[issued.kind]} card ending in <strong>{issued.last4}</strong> issued.
          </p>
        </div>
      )}
    </section>
  );
}
