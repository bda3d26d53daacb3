// Domain errors carry a stable code that integrators can rely on. The HTTP layer maps the
// code to a status (src/http/problem.ts); domain code never speaks HTTP.

export type ErrorCode =
  | 'validation_failed'
  | 'invalid_text'
  | 'invalid_url'
  | 'uri_too_long'
  | 'malformed_request'
  | 'request_timeout'
  | 'headers_too_large'
  | 'invalid_money'
  | 'unknown_currency'
  | 'currency_mismatch'
  | 'not_found'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'csrf_failed'
  | 'conflict'
  | 'network_id_reused'
  | 'email_taken'
  | 'invitation_invalid'
  | 'password_reset_invalid'
  | 'password_reset_used'
  | 'password_reset_expired'
  | 'user_deactivated'
  | 'last_admin'
  | 'duplicate_top_up'
  | 'insufficient_funds'
  | 'transfer_already_resolved'
  | 'transfer_amount_exceeds_pending'
  | 'unbalanced_entry'
  | 'idempotency_key_reused'
  | 'idempotency_request_in_progress'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'card_state_invalid'
  | 'refund_exceeds_purchase'
  | 'reauthentication_required'
  | 'fx_rate_missing'
  | 'signature_invalid'
  | 'receipt_unsupported_type'
  | 'receipt_too_large'
  | 'receipt_image_too_large'
  | 'receipt_already_matched'
  | 'transaction_has_receipt'
  | 'receipt_not_needed'
  | 'receipt_mismatch'
  | 'period_closed'
  | 'expense_state_invalid'
  | 'expense_incomplete'
  | 'review_step_not_yours'
  | 'payout_already_paid'
  | 'nothing_to_pay'
  | 'payee_account_missing'
  | 'nothing_to_export'
  | 'domain_unverified'
  | 'sso_not_configured'
  | 'sso_provider_unavailable'
  | 'sso_failed'
  | 'sso_refused'
  | 'mfa_required'
  | 'mfa_code_invalid'
  | 'mfa_challenge_invalid'
  | 'mfa_enrollment_required'
  | 'mfa_state_invalid'
  | 'passkey_invalid'
  | 'passkey_registration_invalid'
  | 'webhook_url_not_allowed'
  | 'webhook_state_invalid'
  | 'database_busy'
  | 'internal_error';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Too many attempts: refused until the lockout ends, retryAfterSeconds from now (the HTTP
 * layer's Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
    this.name = 'RateLimitedError';
  }
}

export function notFound(what: string): DomainError {
  return new DomainError('not_found', `${what} was not found`);
}
