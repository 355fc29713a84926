/**
 * Small input shapes checked without zod (issue 11 §1: zod's core is ~14 KB of every bundle that builds a schema):
 * the workflow tasks' inputs (a handful of strings the state machine itself writes, lib/workflow/definition.ts) and
 * the small fixed HTTP inputs (query strings and bodies of a few scalar fields: ./operations/action-bodies.ts,
 * ./request-shapes.ts (and the brief edit's merge patch there: a JSON object taken as it is), ./address-confirmation.ts;
 * their zod schemas in schemas/api-requests.ts stay the OpenAPI source and the source of the types, and unit tests hold
 * each twin to its schema's answers). The problems read like every other 4xx and CLI
 * error of this project (`{ field, rule }`, the same rule wording as schemas/issues.ts), and the value comes back with
 * only the fields the shape names, like a zod object.
 */

export interface InputProblem {
  readonly field: string;
  readonly rule: string;
}

export interface InputShape<T> {
  /** Returns the value (meaningful only when no problem was added). */
  check(value: unknown, path: string, problems: InputProblem[]): T;
  readonly optional?: true;
}

export type InputOf<S> = S extends InputShape<infer T> ? T : never;

const at = (path: string) => (path === '' ? '(root)' : path);
const typeRule = (value: unknown, expected: string) => (value === undefined ? 'is required' : `must be ${expected}`);

/** A string (trimmed first when `trim`), `min` to `max` characters long, matching `pattern` (worded `patternRule`). */
export function text(opts: { min?: number; max?: number; trim?: boolean; pattern?: RegExp; patternRule?: string } = {}): InputShape<string> {
  return {
    check(value, path, problems) {
      if (typeof value !== 'string') {
        problems.push({ field: at(path), rule: typeRule(value, 'string') });
        return value as string;
      }
      const v = opts.trim ? value.trim() : value;
      if (opts.min !== undefined && v.length < opts.min) problems.push({ field: at(path), rule: `must be at least ${opts.min} characters` });
      if (opts.max !== undefined && v.length > opts.max) problems.push({ field: at(path), rule: `must be at most ${opts.max} characters` });
      if (opts.pattern && !opts.pattern.test(v)) problems.push({ field: at(path), rule: opts.patternRule ?? `must match ${String(opts.pattern)}` });
      return v;
    },
  };
}

/** One of the listed strings (a single one is zod's literal). */
export function oneOf<const V extends readonly string[]>(values: V): InputShape<V[number]> {
  return {
    check(value, path, problems) {
      if (!values.includes(value as string)) problems.push({ field: at(path), rule: `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}` });
      return value as V[number];
    },
  };
}

/**
 * A whole number sent as text (a query string's value): matching `pattern` (worded `patternRule`), then from `min` to
 * `max`; like zod's pipe of a checked string into Number, the bounds are checked only once the text is a number.
 */
export function wholeNumber(opts: { pattern: RegExp; patternRule: string; min: number; max: number }): InputShape<number> {
  return {
    check(value, path, problems) {
      if (typeof value !== 'string') {
        problems.push({ field: at(path), rule: typeRule(value, 'string') });
        return value as number;
      }
      if (!opts.pattern.test(value)) {
        problems.push({ field: at(path), rule: opts.patternRule });
        return NaN;
      }
      const n = Number(value);
      if (n < opts.min) problems.push({ field: at(path), rule: `must be >= ${opts.min}` });
      if (n > opts.max) problems.push({ field: at(path), rule: `must be <= ${opts.max}` });
      return n;
    },
  };
}

/** Absent (undefined) or matching `shape`. */
export function optional<T>(shape: InputShape<T>): InputShape<T | undefined> & { readonly optional: true } {
  return {
    optional: true,
    check: (value, path, problems) => (value === undefined ? undefined : shape.check(value, path, problems)),
  };
}

/**
 * A JSON object whose members are taken as they are (like zod's `record(string(), unknown())`, for a JSON Merge Patch
 * checked member by member later): a fresh object with the value's own enumerable keys, `__proto__` dropped as zod
 * drops it (assigning it would replace the prototype). For JSON values, whose objects are all plain.
 */
export function record(): InputShape<Record<string, unknown>> {
  return {
    check(value, path, problems) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push({ field: at(path), rule: typeRule(value, 'record') });
        return value as Record<string, unknown>;
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) if (key !== '__proto__') out[key] = (value as Record<string, unknown>)[key];
      return out;
    },
  };
}

type Fields = Record<string, InputShape<unknown>>;
type Optionals<F extends Fields> = { [K in keyof F]: F[K] extends { optional: true } ? K : never }[keyof F];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<F extends Fields> = Simplify<
  { [K in Exclude<keyof F, Optionals<F>>]: InputOf<F[K]> } & { [K in Optionals<F>]?: InputOf<F[K]> }
>;

/** An object with these fields; others are dropped, or refused one by one when `strict` (like zod's strictObject). */
export function object<F extends Fields>(fields: F, opts: { strict?: boolean } = {}): InputShape<ObjectOf<F>> {
  return {
    check(value, path, problems) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push({ field: at(path), rule: typeRule(value, 'object') });
        return value as ObjectOf<F>;
      }
      const out: Record<string, unknown> = {};
      for (const [key, shape] of Object.entries(fields)) {
        const v = shape.check((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, problems);
        if (v !== undefined) out[key] = v;
      }
      if (opts.strict) {
        for (const key of Object.keys(value)) {
          if (!Object.hasOwn(fields, key)) problems.push({ field: path === '' ? key : `${path}.${key}`, rule: 'unknown field not allowed' });
        }
      }
      return out as ObjectOf<F>;
    },
  };
}

/**
 * One of several object shapes, chosen by the string in field `key` (like zod's discriminatedUnion): a value that is not
 * an object, or names no listed variant, gets one problem worded `rule` (at the value, or at `key`).
 */
export function variants<K extends string, V extends Record<string, InputShape<unknown>>>(key: K, options: V, rule: string): InputShape<{ [O in keyof V]: InputOf<V[O]> }[keyof V]> {
  return {
    check(value, path, problems) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push({ field: at(path), rule });
        return value as never;
      }
      const tag = (value as Record<string, unknown>)[key];
      const shape = typeof tag === 'string' && Object.hasOwn(options, tag) ? options[tag] : undefined;
      if (!shape) {
        problems.push({ field: path === '' ? key : `${path}.${key}`, rule });
        return value as never;
      }
      return shape.check(value, path, problems) as never;
    },
  };
}

export type CheckedInput<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

/** Check `input` against `shape`: the value with only the named fields, or every problem at once. */
export function checkInput<T>(shape: InputShape<T>, input: unknown): CheckedInput<T> {
  const problems: InputProblem[] = [];
  const value = shape.check(input, '', problems);
  return problems.length ? { ok: false, problems } : { ok: true, value };
}
