// The cardholder's own cards: activate a physical card that arrived, freeze and unfreeze,
// see the number after typing the password again, and what is left of each limit.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { Card, CardLimits, RevealedCard } from '../api/types';
import { TextField } from '../components/fields';
import { Loaded } from '../components/loaded';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { choicesOf, formatMoney } from '../format';
import { periodLabels } from './card-labels';
import { CardPicture } from './card-picture';
import { t } from '../i18n/i18n';
import { answerWithPasskey } from '../passkeys/passkey-ceremony';

const cardsPageSize = 20;
const limitPeriods = choicesOf(periodLabels);

export function MyCards() {
  const cards = usePages('/api/v1/cards', cardsPageSize);
  const { pages } = cards;
  return (
    <section className="card wide-card" aria-labelledby="my-cards-heading">
      <h2 id="my-cards-heading">{t('layout.sections.myCards')}</h2>
      {pages.status === 'loading' && <Loading what={t('cards.mine.loading')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={cards.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('cards.mine.empty')}</Empty>
        ) : (
          <ul className="my-card-list">
            {pages.items.map((card) => (
              <li key={card.id}>
                <MyCard card={card} />
              </li>
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={cards.loadMore} what={t('admin.cards.what')} />
    </section>
  );
}

/** What cardholders do to their own card. */
function runOwnCardAction(id: string, action: 'freeze' | 'unfreeze' | 'activate'): Promise<unknown> {
  const path = { params: { path: { id } } };
  if (action === 'activate') return ok(api.POST('/api/v1/cards/{id}/activate', path));
  if (action === 'freeze') return ok(api.POST('/api/v1/cards/{id}/freeze', { ...path, body: {} }));
  return ok(api.POST('/api/v1/cards/{id}/unfreeze', { ...path, body: {} }));
}

function MyCard({ card }: { card: Card }) {
  const [revealed, setRevealed] = useState<RevealedCard | null>(null);
  const act = useAction((action: 'freeze' | 'unfreeze' | 'activate') => runOwnCardAction(card.id, action), { invalidates: ['/api/v1/cards'] });
  const busy = act.isPending;
  const canFreeze = card.status === 'active' || card.status === 'frozen';
  const canActivate = card.kind === 'physical' && card.status === 'inactive';

  return (
    <article className="my-card">
      <CardPicture card={card} number={revealed?.number}>
        {revealed && (
          <div className="card-picture-cvv">
            <span className="card-picture-caption">{t('cards.mine.cvv')} </span>
            {revealed.cvv}
          </div>
        )}
      </CardPicture>
      <div className="button-row">
        {canActivate && (
          <button type="button" className="primary small" disabled={busy} onClick={() => act.mutate('activate')}>
            {t('cards.mine.activate')}
          </button>
        )}
        {canFreeze && (
          <button type="button" className="secondary small" disabled={busy} onClick={() => act.mutate(card.status === 'frozen' ? 'unfreeze' : 'freeze')}>
            {card.status === 'frozen' ? t('admin.cards.unfreeze') : t('admin.cards.freeze')}
          </button>
        )}
        {revealed && (
          <button type="button" className="secondary small" onClick={() => setRevealed(null)}>
            {t('cards.mine.hideNumber')}
          </button>
        )}
      </div>
      <ProblemMessage problem={act.error} />
      {!revealed && card.status !== 'cancelled' && card.status !== 'expired' && <RevealForm cardId={card.id} onRevealed={setRevealed} />}
      <LimitsList cardId={card.id} />
    </article>
  );
}

function RevealForm({ cardId, onRevealed }: { cardId: string; onRevealed: (revealed: RevealedCard) => void }) {
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // With two-step sign-in on, the server asks for a code too (mfa_required): then the field
  // shows, and a passkey may answer instead.
  const [codeAsked, setCodeAsked] = useState(false);
  // The card number is never kept: it is shown from this answer only, never cached.
  const reveal = useAction(async (withPasskey: boolean) => {
    const secondFactor = withPasskey ? { passkey: await answerWithPasskey(await ok(api.POST('/api/v1/me/mfa/passkeys/authentication-options'))) } : codeAsked ? { code } : {};
    return ok(api.POST('/api/v1/cards/{id}/reveal', { params: { path: { id: cardId } }, body: { password, ...secondFactor } }));
  }, {
    onSuccess: (revealed) => {
      setPassword('');
      setCode('');
      setAsking(false);
      onRevealed(revealed);
    },
  });

  if (reveal.error?.code === 'mfa_required' && !codeAsked) setCodeAsked(true);

  function submit(event: FormEvent) {
    event.preventDefault();
    reveal.mutate(false);
  }

  if (!asking) {
    return (
      <button type="button" className="secondary small" onClick={() => setAsking(true)}>
        {t('cards.mine.revealNumber')}
      </button>
    );
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('cards.mine.revealForm')}>
      <TextField label={t('cards.mine.password')} type="password" autoComplete="current-password" required value={password} onChange={setPassword} />
      {codeAsked && <TextField label={t('cards.mine.code')} name="code" autoComplete="one-time-code" required value={code} onChange={setCode} />}
      <ProblemMessage problem={reveal.error} />
      <div className="button-row">
        <button type="submit" className="primary small" disabled={reveal.isPending}>
          {reveal.isPending ? t('cards.mine.checking') : t('cards.mine.showNumber')}
        </button>
        {codeAsked && (
          <button type="button" className="secondary small" disabled={reveal.isPending} onClick={() => reveal.mutate(true)}>
            {t('cards.mine.usePasskey')}
          </button>
        )}
        <button type="button" className="secondary small" onClick={() => setAsking(false)}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

function LimitsList({ cardId }: { cardId: string }) {
  const limits = useQuery(getQuery('/api/v1/cards/{id}/limits', { params: { path: { id: cardId } } }));
  return (
    <Loaded query={limits} what={t('cards.mine.limits')}>
      {(data) => <Limits limits={data} />}
    </Loaded>
  );
}

function Limits({ limits }: { limits: CardLimits }) {
  const limited = limitPeriods.filter((period) => limits.periods[period].limit !== null);
  if (limited.length === 0 && !limits.perPurchaseMax) return <p className="muted small-text">{t('cards.mine.noLimits')}</p>;
  return (
    <dl className="facts card-limits" aria-label={t('cards.mine.remaining')}>
      {limited.map((period) => {
        const usage = limits.periods[period];
        return (
          <div key={period}>
            <dt>{t('cards.mine.left', { period: periodLabels[period] })}</dt>
            <dd>
              {usage.remaining ? formatMoney(usage.remaining) : '—'} <span className="muted small-text">{t('cards.mine.of', { limit: usage.limit ? formatMoney(usage.limit) : '—' })}</span>
            </dd>
          </div>
        );
      })}
      {limits.perPurchaseMax && (
        <div>
          <dt>{t('cards.mine.perPurchase')}</dt>
          <dd>{formatMoney(limits.perPurchaseMax)}</dd>
        </div>
      )}
    </dl>
  );
}
