// Every card in the company, with its holder; admins freeze, unfreeze and cancel them here.
import { useState } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import { cancelReasons, type CancelReason, type Card, type Person } from '../api/types';
import { cancelReasonLabels, cardKindLabels, cardStatusLabels, formatExpiry } from '../cards/card-labels';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import type { Pages, PagesHandle } from '../components/use-pages';

export function holderNameOf(people: Pages<Person>): (userId: string) => string {
  return (userId) => {
    if (people.status !== 'ready') return '…';
    return people.items.find((person) => person.id === userId)?.name ?? 'Unknown person';
  };
}

export function CardsSection({ cards, people }: { cards: PagesHandle<Card>; people: Pages<Person> }) {
  const { pages } = cards;
  const holderName = holderNameOf(people);
  return (
    <section className="card wide-card" aria-labelledby="cards-heading">
      <div className="card-title-row">
        <h2 id="cards-heading">Cards</h2>
        <button type="button" className="link-button" onClick={cards.reload} disabled={pages.status === 'loading'}>
          Refresh
        </button>
      </div>
      {pages.status === 'loading' && <Loading what="cards" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={cards.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>No cards yet. Issue the first one below.</Empty>
        ) : (
          <table className="responsive-table">
            <thead>
              <tr>
                <th scope="col">Cardholder</th>
                <th scope="col">Card</th>
                <th scope="col">Purpose</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((card) => (
                <CardRow key={card.id} card={card} holder={holderName(card.userId)} onChanged={cards.upsert} />
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={cards.loadMore} what="cards" />
    </section>
  );
}

function CardRow({ card, holder, onChanged }: { card: Card; holder: string; onChanged: (card: Card) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState<CancelReason>('no_longer_needed');
  const label = `${cardKindLabels[card.kind]} card ending in ${card.last4}`;
  const open = card.status !== 'cancelled' && card.status !== 'expired';

  async function act(path: string, body?: unknown) {
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await api.post<Card>(`/cards/${card.id}/${path}`, body));
      setCancelling(false);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr>
      <td data-label="Cardholder">{holder}</td>
      <td data-label="Card">
        {cardKindLabels[card.kind]} •••• {card.last4}
        <div className="muted small-text">Expires {formatExpiry(card.expiryMonth, card.expiryYear)}</div>
      </td>
      <td data-label="Purpose">{card.purpose || '—'}</td>
      <td data-label="Status">
        <span className={`badge badge-card-${card.status}`}>{cardStatusLabels[card.status]}</span>
        {card.cancelReason && card.cancelReason !== 'replaced' && <div className="muted small-text">{cancelReasonLabels[card.cancelReason]}</div>}
      </td>
      <td className="actions-cell">
        {open && (
          <div className="row-actions">
            {(card.status === 'active' || card.status === 'frozen') && (
              <button
                type="button"
                className="secondary small"
                disabled={busy}
                aria-label={`${card.status === 'frozen' ? 'Unfreeze' : 'Freeze'} ${label} of ${holder}`}
                onClick={() => act(card.status === 'frozen' ? 'unfreeze' : 'freeze')}
              >
                {card.status === 'frozen' ? 'Unfreeze' : 'Freeze'}
              </button>
            )}
            {!cancelling ? (
              <button type="button" className="danger-outline small" disabled={busy} aria-label={`Cancel ${label} of ${holder}`} onClick={() => setCancelling(true)}>
                Cancel card
              </button>
            ) : (
              <span className="confirm" role="group" aria-label={`Cancel ${label} for good`}>
                <select aria-label="Reason" value={reason} onChange={(event) => setReason(event.target.value as CancelReason)}>
                  {cancelReasons.map((value) => (
                    <option key={value} value={value}>
                      {cancelReasonLabels[value]}
                    </option>
                  ))}
                </select>
                <button type="button" className="danger small" disabled={busy} onClick={() => act('cancel', { reason })}>
                  Cancel for good
                </button>
                <button type="button" className="secondary small" onClick={() => setCancelling(false)}>
                  Keep
                </button>
              </span>
            )}
            <ProblemMessage problem={problem} />
          </div>
        )}
      </td>
    </tr>
  );
}
