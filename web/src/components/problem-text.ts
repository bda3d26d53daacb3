// What a person reads for an API problem: plain words chosen by the problem's stable `code`
// (and, for a form, the `field` it names), in the person's language. The API's own `detail`
// is written for developers ("body/amount must match pattern"); it is kept as secondary text
// only for the codes where it says which thing is at fault, and an unknown code falls back
// to it so that nothing is hidden.
import type { ApiProblem } from '../api/problem';
import { i18n, t } from '../i18n/i18n';
import { formatLocale } from '../i18n/locale';
import { writeAmountInput } from '../amount-input';
import { en } from '../i18n/en';

type Code = keyof typeof en.problems.codes;
type FieldName = keyof typeof en.problems.fields;

/** Codes whose detail is written for developers or says nothing more to a person ("csrf
 * token missing", "send the request body as application/json"); every other code's detail
 * names the thing at fault ("the expense is already submitted", "no approved expense from
 * 2025-11-01 to 2025-11-30 waits to be exported") and is shown under the plain words. */
const detailInternal = new Set<string>([
  'invalid_money', 'not_found', 'unauthenticated', 'invalid_credentials', 'forbidden', 'csrf_failed', 'unbalanced_entry', 'idempotency_key_reused',
  'idempotency_request_in_progress', 'payload_too_large', 'rate_limited', 'unsupported_media_type', 'signature_invalid', 'receipt_unsupported_type', 'internal_error',
  'network_error', 'unexpected_response', 'client_error',
]);

/** An amount written as the company's locale writes it, for examples in messages. */
export function exampleAmount(decimal = '15.00'): string {
  return writeAmountInput(decimal, formatLocale());
}

function isCode(code: string): code is Code {
  return Object.hasOwn(en.problems.codes, code);
}

export interface ProblemText {
  message: string;
  /** The API's detail, where it helps a person find what to change. */
  detail?: string;
}

/** Details that ajv or Fastify wrote from the request schema ("amount must match pattern
 * …"), as against the sentences the services write for people ("say why, so the person
 * knows what to do"). */
const schemaWording = /\bmust (NOT |match |have |pass |be (equal|string|number|integer|boolean|object|array|null|[<>=]))|is not a known property|is invalid$|request body|^body\b|^querystring\b|^params\b/;

export function problemText(problem: ApiProblem): ProblemText {
  if (!isCode(problem.code)) return { message: asSentence(problem.detail) };
  const key = inputKeyOf(problem);
  const writtenForPeople = problem.code === 'validation_failed' && !schemaWording.test(problem.detail);
  // A service's own sentence says best what to change; in another language than English it
  // follows the input's message in the person's language.
  if (writtenForPeople) return i18n.language === 'en' ? { message: asSentence(problem.detail) } : { message: inputMessage(key ?? 'other'), detail: asSentence(problem.detail) };
  if (key) return { message: inputMessage(key) };
  const message = t(`problems.codes.${problem.code}`, { example: exampleAmount() });
  // A thing not found that an input names ("tax code was not found") says which one it was.
  const helps = !detailInternal.has(problem.code) || (problem.code === 'not_found' && problem.field !== undefined);
  return helps ? { message, detail: asSentence(problem.detail) } : { message };
}

/** The last name of a field path: "lines.0.amount" → "amount". */
function fieldNameOf(field: string): string {
  return field.split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? field;
}

function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(en.problems.fields, name);
}

/** Codes that say an input's value is wrong, so the input's own message says what to type. */
const inputCodes = new Set<string>(['validation_failed', 'invalid_money', 'not_found', 'unknown_currency']);

/** Which input message answers the problem: the named input's, else a generic one. */
function inputKeyOf(problem: ApiProblem): FieldName | null {
  const name = problem.field ? fieldNameOf(problem.field) : null;
  if (name && inputCodes.has(problem.code) && isFieldName(name)) return name;
  if (problem.code === 'invalid_money') return 'amount';
  if (problem.code === 'validation_failed' && name) return 'other';
  return null;
}

function inputMessage(key: FieldName): string {
  return t(`problems.fields.${key}`, { example: key === 'distanceKm' ? exampleAmount('12.3') : exampleAmount() });
}

/** The message beside an input, for a problem that names it: what to type instead, or the
 * problem's plain words with the detail that says what is at fault. */
export function fieldText(problem: ApiProblem): string {
  const { message, detail } = problemText(problem);
  return detail && detail !== message ? `${message} ${detail}` : message;
}

/** The API writes details as lower-case clauses ("the e-mail address is wrong"); shown
 * alone, they read better as sentences. */
export function asSentence(detail: string): string {
  const text = detail.trim();
  if (text === '') return text;
  // Only a plain word is capitalised: "emma@example.com already…" must stay as written.
  const capitalised = /^[a-z]+(?=[\s,;:]|$)/.test(text) ? text[0]!.toUpperCase() + text.slice(1) : text;
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
