// Where to send money to fund the wallet: the platform's top-up account and the company's
// payment reference (an ISO 11649 creditor reference). The bank statement finds the wallet
// by that reference alone, so it is shown large, with a Copy button, and said twice.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import type { TopUpInstructions } from '../api/types';
import { inGroupsOfFour } from '../banking/bank-labels';
import { CopyField } from '../components/fields';
import { Loaded } from '../components/loaded';
import { asSentence } from '../components/status';
import { t } from '../i18n/i18n';

export function TopUpInstructionsCard() {
  const instructions = useQuery(getQuery('/api/v1/wallet/top-up-instructions'));
  return (
    <section className="card top-up-card" aria-labelledby="top-up-heading">
      <h2 id="top-up-heading">{t('wallet.topUp.heading')}</h2>
      <Loaded query={instructions} what="the top-up instructions">
        {(data) => <Instructions instructions={data} />}
      </Loaded>
    </section>
  );
}

function Instructions({ instructions }: { instructions: TopUpInstructions }) {
  return (
    <>
      <p className="small-text">{t('wallet.topUp.send', { currency: instructions.currency })}</p>
      {instructions.warning && (
        <p className="notice warning small-text" role="alert">
          {asSentence(instructions.warning)}
        </p>
      )}
      <CopyField label={t('wallet.topUp.reference')} value={instructions.referenceFormatted} copyValue={instructions.reference} className="payment-reference">
        <p className="reference-rule">{t('wallet.topUp.rule')}</p>
      </CopyField>
      <dl className="facts">
        <div>
          <dt>{t('wallet.topUp.holder')}</dt>
          <dd>{instructions.accountName}</dd>
        </div>
        <div>
          <dt>IBAN</dt>
          <dd>
            <code className="account-number">{inGroupsOfFour(instructions.iban)}</code>
          </dd>
        </div>
        <div>
          <dt>BIC</dt>
          <dd>{instructions.bic ? <code className="account-number">{instructions.bic}</code> : <span className="muted">{t('wallet.topUp.sepa')}</span>}</dd>
        </div>
        <div>
          <dt>{t('wallet.topUp.currency')}</dt>
          <dd>{instructions.currency}</dd>
        </div>
      </dl>
    </>
  );
}
