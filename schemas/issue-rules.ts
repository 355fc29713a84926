/**
 * Turns zod issues into `{ field, rule }` pairs: the one error shape every 4xx, CLI error and
 * validation report of this project uses. zod/mini ships no English messages (that keeps bundles
 * small), so the rule text is written here from the issue's own data.
 * This module imports zod for its types only: a handler that parses nothing with zod (or only words problems) loads
 * no zod (issue 11 §1: importing zod/mini at all adds ~12 KB). The FieldProblem schema is in ./issues.ts.
 */
import type * as z from 'zod/mini';

/** One problem with an input: the field (a path such as `briefs.ace.Customer`) and the rule it breaks. */
export interface FieldProblem {
  field: string;
  rule: string;
}

type Issue = z.core.$ZodIssue;

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

const GENERIC_MESSAGE = 'Invalid input';

function ruleOf(issue: Issue): string {
  // A message set on the schema itself is already a rule written for people.
  if (issue.message && issue.message !== GENERIC_MESSAGE) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must have at least ${issue.minimum} items`;
      return `must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return `must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `must match ${issue.pattern ?? 'the expected format'}` : `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} not allowed: ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'does not match any allowed shape';
    default:
      return 'is invalid';
  }
}

export function toFieldProblems(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // Name each unknown field at its own path, so the caller sees exactly what to remove.
      for (const key of issue.keys) out.push({ field: fieldPath([...prefix, ...issue.path, key]), rule: 'unknown field not allowed' });
      continue;
    }
    out.push({ field: fieldPath([...prefix, ...issue.path]), rule: ruleOf(issue) });
  }
  return out;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** Parse with a schema and return either the value or every problem at once. */
export function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown): Parsed<z.infer<S>> {
  // reportInput: tells "missing" (is required) from "present but the wrong type" (must be number).
  // error: a message for every issue the schema itself does not word, so ruleOf writes the rule. Without it, any
  // module of the process importing full `zod` installs zod's English locale globally and its wording ("Invalid
  // input: expected string, received undefined") would reach callers instead of the same rule the CLI prints.
  const result = schema.safeParse(input, { reportInput: true, error: () => GENERIC_MESSAGE });
  if (result.success) return { ok: true, value: result.data as z.infer<S> };
  return { ok: false, problems: toFieldProblems(result.error.issues) };
}
