// The admin plays a card purchase through the real authorization engine (the simulator is
// off in production) and sees the network's answer: approved with the amount held, or
// declined with the reason in plain words.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Card, CardDecision, Channel } from '../api/types';
import { cardKindLabels, channelLabels, declineReasonText } from '../cards/card-labels';
import { SelectField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import type { Pages } from '../components/use-pages';
import { choicesOf, formatMoney } from '../format';
import { useSession } from '../session';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

/** ISO 18245 merchant category codes an admin tries most. */
const mccPresets = ['5814', '5812', '7011', '4511', '5734', '6011', '7995'] as const;
const mccLabels: Record<(typeof mccPresets)[number], string> = labelsOf('simulator.mcc', en.simulator.mcc);
const otherMcc = 'other';

const fieldNames = ['cardId', 'amount', 'currency', 'name', 'mcc', 'country', 'channel'] as const;

interface SimulatePurchaseProps {
  cards: Pages<Card>;
  holderName: (userId: string) => string;
}

function cardOptions(cards: Pages<Card>, holderName: (userId: string) => string) {
  const usable = cards.status === 'ready' ? cards.items.filter((card) => card.status !== 'cancelled') : [];
  return [
    { value: '', label: t('simulator.chooseCard') },
    ...usable.map((card) => ({ value: card.id, label: `${holderName(card.userId)} · ${cardKindLabels[card.kind]} •••• ${card.last4}${card.purpose ? ` (${card.purpose})` : ''}` })),
  ];
}

export function SimulatePurchase({ cards, holderName }: SimulatePurchaseProps) {
  const { session } = useSession();
  const [cardId, setCardId] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(session.company.currency);
  const [merchantName, setMerchantName] = useState('');
  const [mcc, setMcc] = useState<string>(mccPresets[0]);
  const [country, setCountry] = useState('DK');
  const [channel, setChannel] = useState<Channel>('in_person');
  const [decision, setDecision] = useState<CardDecision | null>(null);
  const body = {
    cardId,
    amount: amount.trim(),
    currency: currency.trim().toUpperCase(),
    merchant: { name: merchantName.trim(), mcc: mcc.trim(), country: country.trim().toUpperCase() },
    channel,
  };
  // The purchase shows in the transactions, holds part of the wallet and may spend a single-use card.
  const simulate = useAction(() => ok(api.POST('/api/v1/simulator/purchases', { body })), {
    invalidates: ['/api/v1/card-transactions', '/api/v1/wallet', '/api/v1/cards'],
    onSuccess: setDecision,
  });
  const problem = formProblem(simulate.error);
  const preset = mccPresets.find((candidate) => candidate === mcc) ?? otherMcc;

  function submit(event: FormEvent) {
    event.preventDefault();
    setDecision(null);
    simulate.mutate();
  }

  return (
    <section className="card wide-card" aria-labelledby="simulate-heading">
      <h2 id="simulate-heading">{t('simulator.heading')}</h2>
      <p className="muted small-text">{t('simulator.lead')}</p>
      <form className="two-column-form" onSubmit={submit} aria-label={t('simulator.heading')}>
        <SelectField label={t('admin.cards.card')} value={cardId} onChange={setCardId} options={cardOptions(cards, holderName)} error={problem.forField('cardId')} />
        <TextField label={t('admin.reimbursements.amount')} required inputMode="decimal" autoComplete="off" hint={t('simulator.amountHint')} value={amount} onChange={setAmount} error={problem.forField('amount')} />
        <TextField label={t('simulator.currency')} required maxLength={3} autoComplete="off" value={currency} onChange={setCurrency} error={problem.forField('currency')} />
        <TextField label={t('admin.issue.merchantName')} required maxLength={100} autoComplete="off" value={merchantName} onChange={setMerchantName} error={problem.forField('name')} />
        <SelectField
          label={t('simulator.kindOfMerchant')}
          value={preset}
          onChange={(value) => setMcc(value === otherMcc ? '' : value)}
          options={[...mccPresets.map((candidate) => ({ value: candidate, label: `${mccLabels[candidate]} (${candidate})` })), { value: otherMcc, label: t('simulator.otherCode') }]}
        />
        <TextField label={t('admin.issue.mcc')} required inputMode="numeric" pattern="\d{4}" maxLength={4} autoComplete="off" value={mcc} onChange={setMcc} error={problem.forField('mcc')} />
        <TextField label={t('admin.issue.country')} required maxLength={2} hint={t('admin.issue.countryHint')} value={country} onChange={setCountry} error={problem.forField('country')} />
        <SelectField
          label={t('simulator.wayToPay')}
          value={channel}
          onChange={(value) => setChannel(value as Channel)}
          options={choicesOf(channelLabels).map((value) => ({ value, label: channelLabels[value] }))}
          error={problem.forField('channel')}
        />
        <div className="full-row">
          <ProblemMessage problem={problem.forForm(fieldNames)} />
          <button type="submit" className="primary" disabled={simulate.isPending || cardId === ''}>
            {simulate.isPending ? t('simulator.sending') : t('simulator.simulate')}
          </button>
        </div>
      </form>
      {decision && <Decision decision={decision} />}
    </section>
  );
}

function Decision({ decision }: { decision: CardDecision }) {
  if (decision.approved) {
    return (
      <div className="notice success decision" role="status">
        <p>
          <strong>{t('simulator.approved')}</strong>
          {decision.heldAmount && <>, {t('simulator.held', { amount: formatMoney(decision.heldAmount) })}</>}
        </p>
      </div>
    );
  }
  return (
    <div className="notice warning decision" role="status">
      <p>
        <strong>{t('simulator.declined')}</strong> {declineReasonText(decision)}
      </p>
    </div>
  );
}
