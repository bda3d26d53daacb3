// The company's webhook endpoints: where Outlay posts events, which events, and what happened
// to each delivery (status, answer, attempts), with replay, secret rotation and switching an
// endpoint off and on. Secrets are shown when asked for, never in the list.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '../api/types';
import { CheckboxGroup, CopyField, TextField } from '../components/fields';
import { ConfirmButton } from '../components/confirm-button';
import { formProblem } from '../components/form-problem';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { useSession } from '../session';

const deliveriesShownMax = 50;
const endpointsPath = '/api/v1/webhooks/endpoints';

const deliveryBadges: Record<WebhookDelivery['status'], string> = { queued: 'badge-invited', sending: 'badge-invited', delivered: 'badge-active', failed: 'badge-deactivated' };
const deliveryLabels: Record<WebhookDelivery['status'], string> = { queued: 'Waiting', sending: 'Sending', delivered: 'Delivered', failed: 'Given up' };

export function WebhooksSection() {
  const endpoints = useQuery(getQuery(endpointsPath));
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  return (
    <section className="card wide-card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="muted">Outlay posts events to your endpoints as they happen, signed per Standard Webhooks, and tries again for about a day when an endpoint does not answer 2xx.</p>
      {endpoints.isError && <LoadError problem={endpoints.error} onRetry={() => void endpoints.refetch()} />}
      {endpoints.isPending && <Loading what="webhook endpoints" />}
      {endpoints.data &&
        (endpoints.data.items.length === 0 ? (
          <Empty>No webhook endpoints yet.</Empty>
        ) : (
          endpoints.data.items.map((endpoint) => <EndpointCard key={endpoint.id} endpoint={endpoint} onSecret={setSecret} />)
        ))}
      {secret && <SecretNotice url={secret.url} secret={secret.secret} onDone={() => setSecret(null)} />}
      <CreateEndpointForm onCreated={setSecret} />
    </section>
  );
}

function EndpointCard({ endpoint, onSecret }: { endpoint: WebhookEndpoint; onSecret: (shown: { url: string; secret: string }) => void }) {
  const { session } = useSession();
  const timeZone = session.company.timeZone;
  const [showLog, setShowLog] = useState(false);
  const path = { params: { path: { id: endpoint.id } } };
  const toggle = useAction(() => ok(endpoint.status === 'enabled' ? api.POST('/api/v1/webhooks/endpoints/{id}/disable', path) : api.POST('/api/v1/webhooks/endpoints/{id}/enable', path)), { invalidates: [endpointsPath] });
  const rotate = useAction(() => ok(api.POST('/api/v1/webhooks/endpoints/{id}/rotate-secret', path)), {
    invalidates: [endpointsPath],
    onSuccess: (rotated) => rotated.secret && onSecret({ url: endpoint.url, secret: rotated.secret }),
  });
  const reveal = useAction(() => ok(api.POST('/api/v1/webhooks/endpoints/{id}/reveal-secret', path)), { onSuccess: (shown) => onSecret({ url: endpoint.url, secret: shown.secret }) });
  return (
    <article className="webhook-endpoint" aria-label={`Webhook endpoint ${endpoint.url}`}>
      <h3>
        <code>{endpoint.url}</code>{' '}
        {endpoint.status === 'enabled' ? (
          <span className="badge badge-active">Enabled</span>
        ) : (
          <span className="badge badge-deactivated">{endpoint.disabledReason === 'failing' ? 'Disabled: failed for a day' : 'Disabled'}</span>
        )}
      </h3>
      {endpoint.description && <p>{endpoint.description}</p>}
      <ul className="scope-list" aria-label="Events">
        {endpoint.eventTypes.map((type) => (
          <li key={type}>
            <code>{type}</code>
          </li>
        ))}
      </ul>
      {endpoint.failingSince && <p className="muted">Failing since {formatDateTime(endpoint.failingSince, timeZone)}.</p>}
      {endpoint.previousSecretUntil && <p className="muted">The previous secret signs too until {formatDateTime(endpoint.previousSecretUntil, timeZone)}.</p>}
      <div className="row-actions">
        <button type="button" className="secondary small" onClick={() => setShowLog(!showLog)} aria-expanded={showLog}>
          {showLog ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <button type="button" className="secondary small" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
          Show secret
        </button>
        <ConfirmButton label="Rotate secret" accessibleLabel={`Rotate secret of ${endpoint.url}`} question="A new secret signs from now on; the current one signs beside it for 24 hours." confirmLabel="Yes, rotate" busy={rotate.isPending} onConfirm={() => rotate.mutate()} />
        <button type="button" className="secondary small" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
          {endpoint.status === 'enabled' ? 'Disable' : 'Enable'}
        </button>
        <ProblemMessage problem={toggle.error ?? rotate.error ?? reveal.error} />
      </div>
      {showLog && <DeliveryLog endpointId={endpoint.id} />}
    </article>
  );
}

/** The endpoint's latest deliveries (the API pages further back). */
function DeliveryLog({ endpointId }: { endpointId: string }) {
  const deliveries = useQuery(getQuery('/api/v1/webhooks/endpoints/{id}/deliveries', { params: { path: { id: endpointId }, query: { limit: String(deliveriesShownMax) } } }));
  if (deliveries.isError) return <LoadError problem={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (!deliveries.data) return <Loading what="deliveries" />;
  if (deliveries.data.items.length === 0) return <Empty>No deliveries yet.</Empty>;
  return (
    <table className="responsive-table webhook-deliveries">
      <caption className="muted">The latest {deliveriesShownMax} deliveries</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Created</th>
          <th scope="col">Status</th>
          <th scope="col">Last answer</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {deliveries.data.items.map((delivery) => (
          <DeliveryRow key={delivery.id} delivery={delivery} onReplayed={() => void deliveries.refetch()} />
        ))}
      </tbody>
    </table>
  );
}

function DeliveryRow({ delivery, onReplayed }: { delivery: WebhookDelivery; onReplayed: () => void }) {
  const { session } = useSession();
  const timeZone = session.company.timeZone;
  const replay = useAction(() => ok(api.POST('/api/v1/webhooks/deliveries/{id}/replay', { params: { path: { id: delivery.id } } })), { onSuccess: onReplayed });
  const last = delivery.attemptLog[0];
  return (
    <tr>
      <td data-label="Event">
        <code>{delivery.eventType}</code>
      </td>
      <td data-label="Created">{formatDateTime(delivery.createdAt, timeZone)}</td>
      <td data-label="Status">
        <span className={`badge ${deliveryBadges[delivery.status]}`}>{deliveryLabels[delivery.status]}</span> {delivery.attempts > 1 && `after ${delivery.attempts} attempts`}
        {delivery.status === 'queued' && delivery.nextAttemptAt && delivery.attempts > 0 && <span className="muted"> next {formatDateTime(delivery.nextAttemptAt, timeZone)}</span>}
      </td>
      <td data-label="Last answer">{last ? (last.statusCode !== null ? `${last.statusCode} ${last.responseBody?.slice(0, 80) ?? ''}` : (last.error ?? '')) : '—'}</td>
      <td className="actions-cell">
        {delivery.status !== 'sending' && (
          <button type="button" className="secondary small" onClick={() => replay.mutate()} disabled={replay.isPending} aria-label={`Replay ${delivery.eventType} of ${delivery.createdAt}`}>
            Replay
          </button>
        )}
        <ProblemMessage problem={replay.error} />
      </td>
    </tr>
  );
}

function SecretNotice({ url, secret, onDone }: { url: string; secret: string; onDone: () => void }) {
  return (
    <div className="notice warning" role="status">
      <p>
        <strong>The signing secret of {url}.</strong> Your receiver checks each message's webhook-signature with it.
      </p>
      <CopyField label="Signing secret" value={secret} />
      <button type="button" className="secondary small" onClick={onDone}>
        Close
      </button>
    </div>
  );
}

const fieldNames = ['url', 'description', 'eventTypes'] as const;

function CreateEndpointForm({ onCreated }: { onCreated: (shown: { url: string; secret: string }) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>([]);
  const types = useQuery(getQuery('/api/v1/webhooks/event-types'));
  const create = useAction(() => ok(api.POST('/api/v1/webhooks/endpoints', { body: { url: url.trim(), description: description.trim(), eventTypes } })), {
    invalidates: [endpointsPath],
    onSuccess: (created) => {
      if (created.secret) onCreated({ url: created.endpoint.url, secret: created.secret });
      setUrl('');
      setDescription('');
      setEventTypes([]);
    },
  });
  const problem = formProblem(create.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form className="create-webhook-endpoint" onSubmit={submit} aria-label="Add a webhook endpoint">
      <h3>Add a webhook endpoint</h3>
      <TextField label="URL" type="url" required value={url} onChange={setUrl} error={problem.forField('url')} hint="An https URL of your system, e.g. https://books.example.com/outlay-events." />
      <TextField label="Description" value={description} onChange={setDescription} error={problem.forField('description')} />
      {types.isError && <LoadError problem={types.error} onRetry={() => void types.refetch()} />}
      {types.data && (
        <CheckboxGroup
          legend="Events"
          choices={types.data.items.map((item) => item.type)}
          labels={Object.fromEntries(types.data.items.map((item) => [item.type, `${item.type}: ${item.description}`]))}
          selected={eventTypes}
          onChange={setEventTypes}
          error={problem.forField('eventTypes')}
        />
      )}
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  );
}
