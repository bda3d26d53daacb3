// Errors from the API arrive as application/problem+json (RFC 9457) with a stable `code`
// and, when one input is at fault, its `field`. Failures that never reached the API (no
// network, a proxy's HTML error page) are turned into the same shape so forms show one kind
// of error.

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

interface ProblemBody {
  title?: unknown;
  status?: unknown;
  code?: unknown;
  detail?: unknown;
  field?: unknown;
}

export function problemFromBody(status: number, body: ProblemBody): ApiProblem {
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value !== '' ? value : fallback);
  return new ApiProblem(
    typeof body.status === 'number' ? body.status : status,
    text(body.code, 'unknown_error'),
    text(body.title, 'Error'),
    text(body.detail, `The request failed (HTTP ${status}).`),
    typeof body.field === 'string' && body.field !== '' ? body.field : undefined,
  );
}

export function networkProblem(): ApiProblem {
  return new ApiProblem(0, 'network_error', 'Network error', 'Could not reach Outlay. Check your connection and try again.');
}

export function unexpectedResponseProblem(status: number, statusText: string): ApiProblem {
  return new ApiProblem(
    status,
    'unexpected_response',
    'Unexpected response',
    `The server answered ${status}${statusText ? ` ${statusText}` : ''} instead of the expected data. Try again in a moment.`,
  );
}

/** Any thrown value as a problem, so callers can always show `detail`. */
export function asProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem(0, 'client_error', 'Error', error instanceof Error ? error.message : String(error));
}
