// Where a form shows an API problem (an action's error): beside the input named by the
// problem's `field`, or above the submit button when no input matches. The words are the
// plain ones of problem-text.ts, never the API's internal detail.
import type { ApiProblem } from '../api/problem';
import { fieldText } from './problem-text';

export interface FormProblem {
  problem: ApiProblem | null;
  /** The message for one input, if the problem names it ("email" or "body.email"). */
  forField: (name: string) => string | undefined;
  /** The message for one input only when the problem names exactly it ("lines.0.amount"),
   * where a list of inputs repeats a name ("amount" of the expense and of each line). */
  forExactField: (name: string) => string | undefined;
  /** The message for the form as a whole, when no input of `fieldNames` is named. */
  forForm: (fieldNames: readonly string[]) => ApiProblem | null;
}

function names(problem: ApiProblem, name: string): boolean {
  const field = problem.field;
  return field !== undefined && (field === name || field.endsWith(`.${name}`) || field.startsWith(`${name}.`));
}

export function formProblem(problem: ApiProblem | null): FormProblem {
  return {
    problem,
    forField: (name) => (problem && names(problem, name) ? fieldText(problem) : undefined),
    forExactField: (name) => (problem && problem.field === name ? fieldText(problem) : undefined),
    forForm: (fieldNames) => (problem && !fieldNames.some((name) => names(problem, name)) ? problem : null),
  };
}
