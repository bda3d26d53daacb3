// The one place where errors become HTTP: application/problem+json (RFC 9457) with a stable
// `code`, and the offending `field` where there is one.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode } from '../shared/errors.js';
import { isTimeoutOrLockFailure, isUniqueViolation } from '../db/unique-violation.js';

export const problemContentType = 'application/problem+json; charset=utf-8';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_money: 400,
  unknown_currency: 400,
  currency_mismatch: 422,
  not_found: 404,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  conflict: 409,
  email_taken: 409,
  invitation_invalid: 404,
  user_deactivated: 403,
  last_admin: 409,
  duplicate_top_up: 409,
  insufficient_funds: 422,
  transfer_already_resolved: 409,
  transfer_amount_exceeds_pending: 422,
  unbalanced_entry: 422,
  idempotency_key_reused: 422,
  idempotency_request_in_progress: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unsupported_media_type: 415,
  card_state_invalid: 409,
  // The simulator's Refund on a purchase with nothing (or less) left to refund.
  refund_exceeds_purchase: 409,
  reauthentication_required: 401,
  fx_rate_missing: 422,
  signature_invalid: 401,
  receipt_unsupported_type: 415,
  receipt_too_large: 413,
  receipt_image_too_large: 422,
  receipt_already_matched: 409,
  transaction_has_receipt: 409,
  receipt_not_needed: 422,
  receipt_mismatch: 422,
  period_closed: 409,
  expense_state_invalid: 409,
  expense_incomplete: 422,
  // A reviewer who may review, but not the step the expense waits for (another person's, or one after their own approval).
  review_step_not_yours: 403,
  payout_already_paid: 409,
  nothing_to_pay: 422,
  payee_account_missing: 422,
  nothing_to_export: 422,
  // Single sign-on: a domain whose DNS record is not there (yet), an address without a
  // company provider, a provider that did not answer, an answer that did not check out, and a
  // person the company's rules do not let in.
  domain_unverified: 422,
  sso_not_configured: 404,
  sso_provider_unavailable: 502,
  sso_failed: 400,
  sso_refused: 403,
  // A statement ran past its timeout or waited too long for a lock: nothing was written, retry.
  database_busy: 503,
  internal_error: 500,
};

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  field?: string;
}

export function problemOf(code: ErrorCode, detail: string, field?: string): Problem {
  const status = statusByCode[code];
  return {
    type: `https://outlay.dev/problems/${code.replaceAll('_', '-')}`,
    title: titles[status] ?? 'Error',
    status,
    code,
    detail,
    ...(field ? { field } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).header('content-type', problemContentType).send(problem);
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(issue: AjvIssue, context: string | undefined): string | undefined {
  const missing = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  const pathParts = (issue.instancePath ?? '').split('/').filter(Boolean);
  if (typeof missing === 'string') pathParts.push(missing);
  if (pathParts.length === 0) return context === 'body' ? undefined : context;
  return pathParts.join('.');
}

/** Maps anything a handler threw to a problem; unexpected errors are logged, not shown. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof DomainError) return problemOf(error.code, error.message, error.field);
  const fastifyError = error as FastifyError & { validationContext?: string; validation?: AjvIssue[] };
  if (fastifyError.validation) {
    const issue: AjvIssue = fastifyError.validation[0] ?? {};
    const field = fieldOf(issue, fastifyError.validationContext);
    const what = issue.params?.additionalProperty ? 'is not a known property' : (issue.message ?? 'is invalid');
    return problemOf('validation_failed', field ? `${field} ${what}` : `${fastifyError.validationContext ?? 'request'} ${what}`, field);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request.routeOptions.bodyLimit;
      return problemOf('payload_too_large', limit ? `the request body is larger than the ${limit.toLocaleString('en')} bytes this endpoint accepts` : 'the request body is larger than this endpoint accepts');
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problemOf('unsupported_media_type', 'send the request body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problemOf('validation_failed', 'the request body is not valid JSON');
  }
  if (isUniqueViolation(error)) {
    return problemOf('conflict', 'the request conflicts with data that already exists');
  }
  if (isTimeoutOrLockFailure(error)) {
    request.log.warn({ err: error }, 'request gave up on the database');
    return problemOf('database_busy', 'the database did not finish in time; the request changed nothing, try again');
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    return problemOf('validation_failed', fastifyError.message);
  }
  request.log.error({ err: error }, 'request failed');
  return problemOf('internal_error', 'something went wrong on our side; the request changed nothing');
}
