// Where the change under way comes from: the client's address and user agent of the HTTP
// request it serves, held for the request's asynchronous course (AsyncLocalStorage), so the
// audit trail records it without every service passing it along. Work outside a request
// (sweeps, jobs, the command line) has none.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestOrigin {
  ip: string;
  userAgent: string | null;
}

/** A user agent is kept to this length: enough to tell browsers and tools apart. */
export const userAgentLengthMax = 300;

const origins = new AsyncLocalStorage<RequestOrigin>();

/** Runs `work` (and everything it starts) as serving a request from `origin`. */
export function runWithOrigin<T>(origin: RequestOrigin, work: () => T): T {
  return origins.run({ ip: origin.ip, userAgent: origin.userAgent?.slice(0, userAgentLengthMax) ?? null }, work);
}

export function currentOrigin(): RequestOrigin | null {
  return origins.getStore() ?? null;
}
