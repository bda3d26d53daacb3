// The company's outgoing e-mail: to whom, what about, and whether it was delivered. In
// development without an SMTP server nothing is delivered, and the outbox is where an
// invitation's link or a reminder is read: each message opens to what it says.
import type { OutgoingMail } from '../api/types';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { usePages } from '../components/use-pages';
import { formatDateTime } from '../format';
import { useSession } from '../session';

const mailPageSize = 25;

const statusBadges: Record<OutgoingMail['status'], string> = { queued: 'badge-invited', sending: 'badge-invited', sent: 'badge-active', failed: 'badge-deactivated' };
const statusLabels: Record<OutgoingMail['status'], string> = { queued: 'Waiting', sending: 'Sending', sent: 'Sent', failed: 'Not delivered' };

export function MailSection() {
  const mail = usePages('/api/v1/mail', mailPageSize);
  const { pages } = mail;
  const isOutbox = pages.status === 'ready' && pages.items.some((item) => item.content !== null);

  return (
    <section className="card wide-card" aria-labelledby="mail-heading">
      <h2 id="mail-heading">E-mail</h2>
      <p className="muted">
        {isOutbox
          ? 'No SMTP server is set (OUTLAY_MAIL_SMTP_URL): e-mails wait here, in the outbox, instead of being sent. Open one to read it.'
          : 'What Outlay e-mailed your people, and whether it arrived at their mail server.'}
      </p>
      {pages.status === 'loading' && <Loading what="e-mails" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={mail.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>No e-mails yet.</Empty>
        ) : (
          <ul className="mail-list">
            {pages.items.map((item) => (
              <MailItem key={item.id} mail={item} />
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={mail.loadMore} what="e-mails" />
    </section>
  );
}

function MailItem({ mail }: { mail: OutgoingMail }) {
  const { session } = useSession();
  const timeZone = session.company.timeZone;
  const summary = (
    <>
      <strong>{mail.subject}</strong> <span className="muted">to {mail.to}</span>{' '}
      <span className={`badge ${statusBadges[mail.status]}`}>{statusLabels[mail.status]}</span>{' '}
      <span className="muted">{formatDateTime(mail.sentAt ?? mail.createdAt, timeZone)}</span>
      {mail.lastError && mail.status !== 'sent' && <span className="muted"> · {mail.lastError}</span>}
    </>
  );
  if (!mail.content) return <li>{summary}</li>;
  return (
    <li>
      <details>
        <summary>{summary}</summary>
        <pre className="mail-text">{linkify(mail.content.text)}</pre>
      </details>
    </li>
  );
}

/** The message's text with its addresses made links (the text is shown as text, never as HTML). */
function linkify(text: string) {
  return text.split(/(https?:\/\/\S+)/).map((part, index) =>
    index % 2 === 1 ? (
      <a key={index} href={part}>
        {part}
      </a>
    ) : (
      part
    ),
  );
}
