// API problems in plain words: chosen by code and field, never the API's internal wording,
// with the API's own sentence kept where it says what to change.
import { afterAll, describe, expect, it } from 'vitest';
import { ApiProblem } from '../api/problem';
import { setLanguage } from '../i18n/i18n';
import { setFormatLocale } from '../i18n/locale';
import { fieldText, problemText } from './problem-text';

const problem = (code: string, detail: string, field?: string) => new ApiProblem(400, code, 'Title', detail, field);

afterAll(() => {
  setLanguage('en');
  setFormatLocale('en-GB');
});

describe('problems in plain words', () => {
  it.each([
    // code, detail, field, language, locale, the words a person reads beside the input
    ['invalid_money', '"" is not a decimal amount such as "12.50"', 'amount', 'en', 'en-GB', 'Type an amount, for example 15.00.'],
    ['invalid_money', '"" is not a decimal amount such as "12.50"', 'amount', 'da', 'da-DK', 'Skriv et beløb, for eksempel 15,00.'],
    ['invalid_money', '"x" is not a decimal amount such as "12.50"', 'lines.1.amount', 'da', 'da-DK', 'Skriv et beløb, for eksempel 15,00.'],
    ['invalid_money', '"x" is not a decimal amount such as "12.50"', 'lowBalanceBelow', 'en', 'en-GB', 'Type an amount, for example 15.00.'],
    ['validation_failed', 'amount must match pattern "^-?\\d+(\\.\\d+)?$"', 'amount', 'en', 'en-GB', 'Type an amount, for example 15.00.'],
    ['validation_failed', 'merchant must NOT have more than 200 characters', 'merchant', 'da', 'da-DK', 'Skriv, hvor du betalte.'],
    ['validation_failed', 'foo is not a known property', 'foo', 'en', 'en-GB', 'Check this entry.'],
    ['validation_failed', 'say why, so the person knows what to do', 'comment', 'en', 'en-GB', 'Say why, so the person knows what to do.'],
    ['validation_failed', 'say why, so the person knows what to do', 'comment', 'da', 'da-DK', 'Tjek dette felt. Say why, so the person knows what to do.'],
    ['not_found', 'tax code was not found', 'lines.0.taxCodeId', 'en', 'en-GB', 'Choose a tax code from the list.'],
    ['not_found', 'person was not found', 'userId', 'en', 'en-GB', 'This could not be found. It may have been removed, or the link is out of date. Person was not found.'],
    ['receipt_mismatch', 'the receipt does not agree with the expense: the receipt says EUR 1.00', 'receiptNote', 'da', 'da-DK', 'Kvitteringen passer ikke til det, den er knyttet til. Skriv, hvorfor den hører til her. The receipt does not agree with the expense: the receipt says EUR 1.00.'],
    ['receipt_mismatch', 'the receipt does not agree with the expense: the receipt says EUR 1.00', 'receiptId', 'en', 'en-GB', 'The receipt does not match what it is attached to. Say why it belongs here. The receipt does not agree with the expense: the receipt says EUR 1.00.'],
    ['some_new_code', 'a sentence the app does not know yet', 'x', 'en', 'en-GB', 'A sentence the app does not know yet.'],
  ])('%s (%j at %s) in %s reads as plain words', (code, detail, field, language, locale, words) => {
    setLanguage(language as 'en' | 'da');
    setFormatLocale(locale);
    expect(fieldText(problem(code, detail, field))).toBe(words);
  });

  it.each([
    ['not_found', 'expense was not found', 'en', { message: 'This could not be found. It may have been removed, or the link is out of date.' }],
    ['not_found', 'expense was not found', 'da', { message: 'Det blev ikke fundet. Det kan være slettet, eller linket er forældet.' }],
    ['network_error', 'Could not reach Outlay.', 'da', { message: 'Outlay kunne ikke nås. Tjek din forbindelse, og prøv igen.' }],
    ['expense_state_invalid', 'the expense is already submitted', 'en', { message: 'The expense cannot do this in its current state.', detail: 'The expense is already submitted.' }],
    ['nothing_to_export', 'no approved expense from 2025-11-01 to 2025-11-30 waits to be exported', 'en', { message: 'There is nothing to export for this period.', detail: 'No approved expense from 2025-11-01 to 2025-11-30 waits to be exported.' }],
    ['csrf_failed', 'the CSRF token is missing or wrong', 'en', { message: 'The page was open too long. Reload it and try again.' }],
    ['internal_error', 'something went wrong on our side; the request changed nothing', 'da', { message: 'Noget gik galt hos os. Intet blev ændret; prøv igen om lidt.' }],
  ])('a %s for no input (%j) in %s', (code, detail, language, text) => {
    setLanguage(language as 'en' | 'da');
    expect(problemText(problem(code, detail))).toEqual(text);
  });
});
