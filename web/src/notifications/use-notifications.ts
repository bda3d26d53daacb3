// The person's notifications and how many are unread: fetched at start, every minute after,
// and when the panel opens; marking one read fetches both again.
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, ok } from '../api/client';
import type { ApiProblem } from '../api/problem';
import { getQuery, useAction } from '../api/queries';
import type { Notification } from '../api/types';

const notificationsPollMs = 60_000;
const notificationsPageSize = 20;

export interface NotificationsHandle {
  items: Notification[] | null;
  unread: number;
  problem: ApiProblem | null;
  refresh: () => void;
  markRead: (id: string) => void;
}

export function useNotifications(): NotificationsHandle {
  const notifications = useQuery({
    ...getQuery('/api/v1/notifications', { params: { query: { limit: String(notificationsPageSize) } } }),
    refetchInterval: notificationsPollMs,
  });
  const read = useAction((id: string) => ok(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })), { invalidates: ['/api/v1/notifications'] });
  const { refetch } = notifications;
  const refresh = useCallback(() => void refetch(), [refetch]);
  return {
    items: notifications.data?.items ?? null,
    unread: notifications.data?.unread ?? 0,
    problem: read.error ?? notifications.error,
    refresh,
    markRead: read.mutate,
  };
}
