// The cardholder's own cards: activate a physical card that arrived, freeze and unfreeze,
// see the number after typing the password again, and what is left of each limit.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { Card, CardLimits, RevealedCard } from '../api/types';
import { limitPeriods } from '../api/types';
import { TextField } from '../components/fields';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { useResource } from '../components/use-resource';
import { formatMoney } from '../format';
import { periodLabels } from './card-labels';
import { CardPicture } from './card-picture';

const cardsPageSize = 20;

export function MyCards() {
  const cards = usePages<Card>('/cards', cardsPageSize);
  const { pages } = cards;
  return (
    <section className="card wide-card" aria-labelledby="my-cards-heading">
      <h2 id="my-cards-heading">My cards</h2>
      {pages.status === 'loading' && <Loading what="your cards" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={cards.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>You have no cards yet. An admin can issue one to you.</Empty>
        ) : (
          <ul className="my-card-list">
            {pages.items.map((card) => (
              <li key={card.id}>
                <MyCard card={card} onChanged={cards.upsert} />
              </li>
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={cards.loadMore} what="cards" />
    </section>
  );
}

function MyCard({ card, onChanged }: { card: Card; onChanged: (card: Card) => void }) {
  const [revealed, setRevealed] = useState<RevealedCard | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const canFreeze = card.status === 'active' || card.status === 'frozen';
  const canActivate = card.kind === 'physical' && card.status === 'inactive';

  async function act(action: 'freeze' | 'unfreeze' | 'activate') {
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await api.post<Card>(`/cards/${card.id}/${action}`));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="my-card">
      <CardPicture card={card} number={revealed?.number}>
        {revealed && (
          <div className="card-picture-cvv">
            <span className="card-picture-caption">CVV </span>
            {revealed.cvv}
          </div>
        )}
      </CardPicture>
      <div className="button-row">
        {canActivate && (
          <button type="button" className="primary small" disabled={busy} onClick={() => act('activate')}>
            Activate
          </button>
        )}
        {canFreeze && (
          <button type="button" className="secondary small" disabled={busy} onClick={() => act(card.status === 'frozen' ? 'unfreeze' : 'freeze')}>
            {card.status === 'frozen' ? 'Unfreeze' : 'Freeze'}
          </button>
        )}
        {revealed && (
          <button type="button" className="secondary small" onClick={() => setRevealed(null)}>
            Hide number
          </button>
        )}
      </div>
      <ProblemMessage problem={problem} />
      {!revealed && card.status !== 'cancelled' && card.status !== 'expired' && <RevealForm cardId={card.id} onRevealed={setRevealed} />}
      <LimitsList cardId={card.id} />
    </article>
  );
}

function RevealForm({ cardId, onRevealed }: { cardId: string; onRevealed: (revealed: RevealedCard) => void }) {
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const revealed = await api.post<RevealedCard>(`/cards/${cardId}/reveal`, { password });
      setPassword('');
      setAsking(false);
      onRevealed(revealed);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  if (!asking) {
    return (
      <button type="button" className="secondary small" onClick={() => setAsking(true)}>
        Reveal number
      </button>
    );
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Reveal the card number">
      <TextField label="Your password" type="password" autoComplete="current-password" required value={password} onChange={setPassword} />
      <ProblemMessage problem={problem} />
      <div className="button-row">
        <button type="submit" className="primary small" disabled={busy}>
          {busy ? 'Checking…' : 'Show number'}
        </button>
        <button type="button" className="secondary small" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function LimitsList({ cardId }: { cardId: string }) {
  const { resource, reload } = useResource(() => api.get<CardLimits>(`/cards/${cardId}/limits`), `limits-${cardId}`);
  if (resource.status === 'loading') return <Loading what="limits" />;
  if (resource.status === 'error') return <LoadError problem={resource.problem} onRetry={reload} />;
  const limits = resource.data;
  const limited = limitPeriods.filter((period) => limits.periods[period].limit !== null);
  if (limited.length === 0 && !limits.perPurchaseMax) return <p className="muted small-text">No spending limits.</p>;
  return (
    <dl className="facts card-limits" aria-label="Remaining limits">
      {limited.map((period) => {
        const usage = limits.periods[period];
        return (
          <div key={period}>
            <dt>{periodLabels[period]} left</dt>
            <dd>
              {usage.remaining ? formatMoney(usage.remaining) : '—'} <span className="muted small-text">of {usage.limit ? formatMoney(usage.limit) : '—'}</span>
            </dd>
          </div>
        );
      })}
      {limits.perPurchaseMax && (
        <div>
          <dt>Per purchase</dt>
          <dd>{formatMoney(limits.perPurchaseMax)}</dd>
        </div>
      )}
    </dl>
  );
}
