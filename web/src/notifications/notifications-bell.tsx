// The bell in the header: how many notifications are unread, and a panel listing them
// (a receipt is missing, a card was frozen for missing receipts) to mark read one by one.
// Each links to its item; following the link marks it read and closes the panel.
import { useEffect, useId, useRef, useState } from 'react';
import type { Notification } from '../api/types';
import { ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { useNotifications, type NotificationsHandle } from './use-notifications';
import { t } from '../i18n/i18n';
import { Link } from '../router';
import { notificationHref } from './notification-links';

export function NotificationsBell() {
  const notifications = useNotifications();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const { unread, refresh } = notifications;

  useEffect(() => {
    if (!open) return;
    refresh();
    // Escape or a click elsewhere closes the panel, as people expect of a dropdown.
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    const onClick = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open, refresh]);

  const label = unread === 0 ? t('notifications.heading') : t('notifications.unread', { count: unread });
  return (
    <div className="notifications" ref={root}>
      <button type="button" className="secondary small bell" aria-label={label} aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        <BellIcon />
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && <NotificationsPanel id={panelId} notifications={notifications} onClose={() => setOpen(false)} />}
    </div>
  );
}

function NotificationsPanel({ id, notifications, onClose }: { id: string; notifications: NotificationsHandle; onClose: () => void }) {
  const { session } = useSession();
  const { items, problem, markRead } = notifications;
  return (
    <section className="notifications-panel" id={id} aria-labelledby={`${id}-heading`}>
      <div className="card-title-row">
        <h2 id={`${id}-heading`}>{t('notifications.heading')}</h2>
        <button type="button" className="link-button" onClick={onClose}>
          {t('notifications.close')}
        </button>
      </div>
      <ProblemMessage problem={problem} />
      {items === null && !problem && <p className="muted">{t('notifications.loading')}</p>}
      {items?.length === 0 && <p className="empty">{t('notifications.empty')}</p>}
      {items && items.length > 0 && (
        <ul className="notification-list">
          {items.map((notification) => (
            <li key={notification.id} className={notification.readAt ? 'notification' : 'notification unread'}>
              <p className="notification-title">
                {!notification.readAt && <span className="visually-hidden">{t('notifications.unreadPrefix')} </span>}
                <NotificationTitle notification={notification} onFollow={() => {
                  if (!notification.readAt) markRead(notification.id);
                  onClose();
                }} />
              </p>
              <p className="small-text">{notification.body}</p>
              <div className="notification-footer">
                <span className="muted small-text">{formatDateTime(notification.createdAt, session.company.timeZone)}</span>
                {!notification.readAt && (
                  <button type="button" className="link-button small-text" aria-label={t('notifications.markReadNamed', { title: notification.title })} onClick={() => markRead(notification.id)}>
                    {t('notifications.markRead')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NotificationTitle({ notification, onFollow }: { notification: Notification; onFollow: () => void }) {
  const href = notificationHref(notification);
  if (!href) return <strong>{notification.title}</strong>;
  return (
    <Link href={href} className="notification-link" onClick={onFollow}>
      <strong>{notification.title}</strong>
    </Link>
  );
}

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0"
      />
    </svg>
  );
}
