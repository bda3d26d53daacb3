import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { ApiKey, ApiKeyCreated, ApiKeyScope } from '../api/types';
import { CheckboxGroup, CopyField, TextField } from '../components/fields';
import { ConfirmButton } from '../components/confirm-button';
import { formProblem } from '../components/form-problem';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { formatDateTime } from '../format';
import { useSession } from '../session';

const apiKeysPageSize = 50;

export function ApiKeysSection() {
  const apiKeys = usePages('/api/v1/api-keys', apiKeysPageSize);
  const { pages } = apiKeys;
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);

  return (
    <section className="card wide-card" aria-labelledby="api-keys-heading">
      <h2 id="api-keys-heading">API keys</h2>
      <p className="muted">Keys let your own systems use Outlay's API with the scopes you give them.</p>
      {pages.status === 'loading' && <Loading what="API keys" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={apiKeys.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>No API keys yet.</Empty>
        ) : (
          <table className="responsive-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((apiKey) => (
                <ApiKeyRow key={apiKey.id} apiKey={apiKey} />
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={apiKeys.loadMore} what="API keys" />
      {created && <SecretNotice created={created} onDone={() => setCreated(null)} />}
      <CreateApiKeyForm onCreated={setCreated} />
    </section>
  );
}

function ApiKeyRow({ apiKey }: { apiKey: ApiKey }) {
  const { session } = useSession();
  const timeZone = session.company.timeZone;
  const revoke = useAction(() => ok(api.POST('/api/v1/api-keys/{id}/revoke', { params: { path: { id: apiKey.id } } })), { invalidates: ['/api/v1/api-keys'] });

  return (
    <tr>
      <td data-label="Name">{apiKey.name}</td>
      <td data-label="Scopes">
        <ul className="scope-list">
          {apiKey.scopes.map((scope) => (
            <li key={scope}>
              <code>{scope}</code>
            </li>
          ))}
        </ul>
      </td>
      <td data-label="Created">{formatDateTime(apiKey.createdAt, timeZone)}</td>
      <td data-label="Last used">{apiKey.lastUsedAt ? formatDateTime(apiKey.lastUsedAt, timeZone) : 'Never'}</td>
      <td data-label="Status">
        {apiKey.revokedAt ? (
          <span className="badge badge-deactivated">Revoked {formatDateTime(apiKey.revokedAt, timeZone)}</span>
        ) : apiKey.suspendedAt ? (
          <span className="badge badge-deactivated">Suspended {formatDateTime(apiKey.suspendedAt, timeZone)}: its maker was deactivated</span>
        ) : (
          <span className="badge badge-active">Active</span>
        )}
      </td>
      <td className="actions-cell">
        <div className="row-actions">
          {!apiKey.revokedAt && (
            <ConfirmButton
              label="Revoke"
              accessibleLabel={`Revoke API key ${apiKey.name}`}
              question={`Revoke ${apiKey.name}? Systems using it stop working at once.`}
              confirmLabel="Yes, revoke"
              busy={revoke.isPending}
              onConfirm={() => revoke.mutate()}
            />
          )}
          <ProblemMessage problem={revoke.error} />
        </div>
      </td>
    </tr>
  );
}

function SecretNotice({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  if (created.secret === null) {
    return (
      <div className="notice warning" role="status">
        <p>
          “{created.apiKey.name}” was created by an earlier attempt, whose response held the secret. If you do not have
          it, revoke the key and create a new one.
        </p>
        <button type="button" className="secondary small" onClick={onDone}>
          Close
        </button>
      </div>
    );
  }
  return (
    <div className="notice warning" role="status">
      <p>
        <strong>Copy the secret of “{created.apiKey.name}” now.</strong> Outlay shows it only this once; if it is
        lost, revoke the key and create a new one.
      </p>
      <CopyField label="API key secret" value={created.secret} />
      <button type="button" className="secondary small" onClick={onDone}>
        I have stored the secret
      </button>
    </div>
  );
}

const fieldNames = ['name', 'scopes'] as const;

function CreateApiKeyForm({ onCreated }: { onCreated: (created: ApiKeyCreated) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>([]);
  const create = useAction(() => ok(api.POST('/api/v1/api-keys', { body: { name: name.trim(), scopes } })), {
    invalidates: ['/api/v1/api-keys'],
    onSuccess: (created) => {
      onCreated(created);
      setName('');
      setScopes([]);
    },
  });
  const problem = formProblem(create.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <form className="create-api-key" onSubmit={submit} aria-label="Create an API key">
      <h3>Create an API key</h3>
      <TextField label="Key name" required value={name} onChange={setName} error={problem.forField('name')} hint="Say what uses it, e.g. “Accounting sync”." />
      <ScopeChoices selected={scopes} onChange={setScopes} error={problem.forField('scopes')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create API key'}
      </button>
    </form>
  );
}

/** Every scope the server knows (GET /api/v1/api-keys/scopes), by group, each with what it allows. */
function ScopeChoices({ selected, onChange, error }: { selected: ApiKeyScope[]; onChange: (scopes: ApiKeyScope[]) => void; error: string | undefined }) {
  const { t } = useTranslation();
  const scopes = useQuery(getQuery('/api/v1/api-keys/scopes'));
  if (scopes.isError) return <LoadError problem={scopes.error} onRetry={() => void scopes.refetch()} />;
  if (!scopes.data) return <Loading what={t('lists.apiKeys.scopes')} />;
  return (
    <div className="scope-groups">
      <p className="field-label">{t('lists.apiKeys.scopes')}</p>
      {scopes.data.groups.map((group, index) => {
        const choices = group.scopes.map((scope) => scope.scope as ApiKeyScope);
        const labels = Object.fromEntries(group.scopes.map((scope) => [scope.scope, `${scope.scope}: ${scope.description}`])) as Record<ApiKeyScope, string>;
        const change = (inGroup: ApiKeyScope[]) => onChange([...selected.filter((scope) => !choices.includes(scope)), ...inGroup]);
        return <CheckboxGroup key={group.name} legend={group.name} choices={choices} labels={labels} selected={selected.filter((scope) => choices.includes(scope))} onChange={change} error={index === 0 ? error : undefined} />;
      })}
    </div>
  );
}
