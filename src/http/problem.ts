// The one place where errors become HTTP: application/problem+json (RFC 9457) with a stable
// `code`, and the offending `field` where there is one.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode } from '../shared/errors.js';
import { isTimeoutOrLockFailure, isUniqueViolation } from '../db/unique-violation.js';

export const problemContentType = 'application/problem+json; charset=utf-8';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  // A string that is not text: a NUL character or half of a UTF-16 surrogate pair.
  invalid_text: 400,
  // A path whose %-escapes do not decode to UTF-8.
  invalid_url: 400,
  // A path segment longer than the router takes (maxParamLength).
  uri_too_long: 414,
  // A request HTTP itself cannot read: a bad Content-Length, a header line that is no header.
  malformed_request: 400,
  // The client took longer than Node's requestTimeout to send its request.
  request_timeout: 408,
  // The request's header lines are over Node's maxHeaderSize.
  headers_too_large: 431,
  invalid_money: 400,
  unknown_currency: 400,
  currency_mismatch: 422,
  not_found: 404,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  conflict: 409,
  // A processor's network id seen before with another card, amount, currency or message.
  network_id_reused: 409,
  email_taken: 409,
  invitation_invalid: 404,
  password_reset_invalid: 404,
  // A link that was real: its holder may hear that it is spent, and ask for a new one.
  password_reset_used: 410,
  password_reset_expired: 410,
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
  // A webhook URL Outlay will not post to (in production: not https, or a private address);
  // a replay of a delivery that is still under way.
  webhook_url_not_allowed: 422,
  webhook_state_invalid: 409,
  sso_provider_unavailable: 502,
  sso_failed: 400,
  sso_refused: 403,
  // A second factor: asked for and missing (card reveal), a wrong or used code, a sign-in
  // challenge that expired or was altered, a session that may only enrol (the company's
  // rule), and enrolling twice or disabling what is not on.
  mfa_required: 401,
  mfa_code_invalid: 401,
  mfa_challenge_invalid: 401,
  mfa_enrollment_required: 403,
  mfa_state_invalid: 409,
  // A passkey's answer that does not verify (its challenge unknown, used or expired, another
  // origin, a credential not the person's, a bad signature, a counter that went back), and a
  // registration that does not.
  passkey_invalid: 401,
  passkey_registration_invalid: 400,
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
  408: 'Request Timeout',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
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

/**
 * A request Node's HTTP parser could not read (Fastify's clientErrorHandler): there is no
 * request or reply, so the problem is written to the socket as Node itself would, and the
 * connection closed.
 */
export function sendRawProblem(socket: Socket, error: Error & { code?: string }): void {
  // A connection reset has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? problemOf('request_timeout', 'the request did not arrive in time')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? problemOf('headers_too_large', 'the request\'s headers are larger than this server accepts')
        : problemOf('malformed_request', 'the request is not valid HTTP/1.1');
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${problemContentType}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

interface AjvIssue {
  keyword?: string;
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

// SQLSTATE class 22 (data exception) errors that only a value given in the request can cause:
// 22008 datetime_field_overflow (the year 0000), 22007 invalid_datetime_format, 22009
// invalid_time_zone_displacement_value, 22003 numeric_value_out_of_range, 22001
// string_data_right_truncation, 22P02 invalid_text_representation, 22P05
// untranslatable_character (NUL) and 22021 character_not_in_repertoire. The statement failed,
// so its transaction wrote nothing.
const badValueStates = new Set(['22008', '22007', '22009', '22003', '22001', '22P02', '22P05', '22021']);

function isBadValueForDatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && badValueStates.has(String((error as { code?: unknown }).code));
}

type FrameworkProblem = (request: FastifyRequest) => Problem;

const invalidJson: FrameworkProblem = () => problemOf('validation_failed', 'the request body is not valid JSON');

/**
 * Fastify's own errors about a request (FST_ERR_*), each as a problem with a stable code
 * instead of Fastify's JSON. Those it raises before a route is found (a bad URL escape, a
 * path segment over maxParamLength) reach this table through the frameworkErrors option.
 */
export const frameworkProblems: Readonly<Record<string, FrameworkProblem>> = {
  FST_ERR_NOT_FOUND: (request) => problemOf('not_found', `${request.method} ${pathOf(request)} is not an Outlay endpoint`),
  FST_ERR_INVALID_URL: (request) => problemOf('invalid_url', `${pathOf(request)} is not a URL path`),
  FST_ERR_BAD_URL: (request) => problemOf('invalid_url', `the path ${pathOf(request)} has a %-escape that is not UTF-8`),
  FST_ERR_MAX_PARAM_LENGTH: () => problemOf('uri_too_long', `a path segment is longer than the ${routeParamLengthMax} characters an Outlay id or token can have`),
  FST_ERR_CTP_BODY_TOO_LARGE: (request) => {
    const limit = request.routeOptions.bodyLimit;
    return problemOf('payload_too_large', limit ? `the request body is larger than the ${limit.toLocaleString('en')} bytes this endpoint accepts` : 'the request body is larger than this endpoint accepts');
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => problemOf('unsupported_media_type', 'send the request body as application/json'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => problemOf('malformed_request', 'the request body is not as long as its Content-Length header says'),
  FST_ERR_CTP_EMPTY_JSON_BODY: invalidJson,
  FST_ERR_CTP_INVALID_JSON_BODY: invalidJson,
};

/** The longest path segment the router matches (Fastify's maxParamLength): ids are at most 40
 * characters, invitation tokens under 100, and the routes' schemas take 200 at most. */
export const routeParamLengthMax = 200;

/** The path of a request, without its query (which may carry secrets), for a problem's detail. */
function pathOf(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '';
  return path.length > 100 ? `${path.slice(0, 100)}…` : path;
}

/** Maps anything a handler threw to a problem; unexpected errors are logged, not shown. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof DomainError) return problemOf(error.code, error.message, error.field);
  const fastifyError = error as FastifyError & { validationContext?: string; validation?: AjvIssue[] };
  if (fastifyError.validation) {
    const issue: AjvIssue = fastifyError.validation[0] ?? {};
    const field = fieldOf(issue, fastifyError.validationContext);
    if (issue.keyword === 'minProperties' && !field) return problemOf('validation_failed', 'the request body changes nothing: name at least one property');
    const what = issue.params?.additionalProperty ? 'is not a known property' : (issue.message ?? 'is invalid');
    return problemOf('validation_failed', field ? `${field} ${what}` : `${fastifyError.validationContext ?? 'request'} ${what}`, field);
  }
  const framework = typeof fastifyError.code === 'string' ? frameworkProblems[fastifyError.code] : undefined;
  if (framework) return framework(request);
  if (isUniqueViolation(error)) {
    return problemOf('conflict', 'the request conflicts with data that already exists');
  }
  if (isBadValueForDatabase(error)) {
    // The routes' schemas should have refused the value: say so in the log, answer 400.
    request.log.warn({ err: error }, 'a request value that the database refuses got past validation');
    return problemOf('validation_failed', 'a value in the request is out of the range Outlay can store (a date before year 1, a number too large, text that is no text)');
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
