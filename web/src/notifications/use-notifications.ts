// The person's notifications and how many are unread: fetched at start, every minute after,
// and when the panel opens; marking one read updates both at once.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { Notification, NotificationsPage } from '../api/types';

const notificationsPollMs = 60_000;
const notificationsPageSize = 20;

export interface NotificationsHandle {
  items: Notification[] | null;
  unread: number;
  problem: ApiProblem | null;
  refresh: () => void;
  markRead: (id: string) => Promise<void>;
}

export function useNotifications(): NotificationsHandle {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [unread, setUnread] = useState(0);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const refresh = useCallback(() => {
    api.get<NotificationsPage>('/notifications', { limit: notificationsPageSize }).then(
      (page) => {
        setItems(page.items);
        setUnread(page.unread);
        setProblem(null);
      },
      (error: unknown) => setProblem(asProblem(error)),
    );
  }, []);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, notificationsPollMs);
    return () => clearInterval(timer);
  }, [refresh]);

  const markRead = useCallback(async (id: string) => {
    try {
      const read = await api.post<Notification>(`/notifications/${encodeURIComponent(id)}/read`);
      setItems((previous) => previous?.map((item) => (item.id === id ? read : item)) ?? null);
      setUnread((previous) => Math.max(0, previous - 1));
      setProblem(null);
    } catch (error) {
      setProblem(asProblem(error));
    }
  }, []);

  return { items, unread, problem, refresh, markRead };
}
