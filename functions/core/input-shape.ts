/**
 * Input shapes checked without zod (issue 11 §1: zod's core is ~14 KB of every bundle that builds a schema):
 * the workflow tasks' inputs (a handful of strings the state machine itself writes, lib/workflow/definition.ts) and
 * the small fixed HTTP inputs (query strings and bodies of a few scalar fields: ./operations/action-bodies.ts,
 * ./request-shapes.ts (and the merge patches there: a JSON object taken as it is), ./address-confirmation.ts;
 * their zod schemas in schemas/api-requests.ts stay the OpenAPI source and the source of the types, and unit tests hold
 * each twin to its schema's answers); and the worksheet, whose checker is compiled from its zod schema into calls of
 * the builders below (string, number, array, refined, ...: ./worksheet-shape.generated.ts, scripts/gen-worksheet-shape.ts).
 * The problems read like every other 4xx and CLI error of this project (`{ field, rule }`, the same rule wording as
 * schemas/issues.ts), in zod's order, and the value comes back with only the fields the shape names, like a zod object.
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
const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const typeRule = (value: unknown, expected: string) => (value === undefined ? 'is required' : `must be ${expected}`);

/**
 * Problems after which zod runs no further check of the value or the objects around it (a wrong type, a value not
 * listed): an object's refinements are skipped when one of these is among its fields' problems, as zod skips them.
 */
const aborting = new WeakSet<InputProblem>();
function abort(problems: InputProblem[], field: string, rule: string): void {
  const problem = { field, rule };
  aborting.add(problem);
  problems.push(problem);
}
function wrongType(problems: InputProblem[], path: string, value: unknown, expected: string): void {
  abort(problems, at(path), typeRule(value, expected));
}

/** A string (trimmed first when `trim`), `min` to `max` characters long, matching `pattern` (worded `patternRule`). */
export function text(opts: { min?: number; max?: number; trim?: boolean; pattern?: RegExp; patternRule?: string } = {}): InputShape<string> {
  return {
    check(value, path, problems) {
      if (typeof value !== 'string') {
        wrongType(problems, path, value, 'string');
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

/** One of the listed strings (a single one is zod's literal), or a problem worded `rule`. */
export function oneOf<const V extends readonly string[]>(values: V, rule?: string): InputShape<V[number]> {
  return {
    check(value, path, problems) {
      if (!values.includes(value as string)) abort(problems, at(path), rule ?? `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`);
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
        wrongType(problems, path, value, 'string');
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
        wrongType(problems, path, value, 'record');
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

/** A rule across an object's fields (zod's refine): `rule` is reported at `path` (below the object) when `test` fails. */
export interface Refinement {
  readonly test: (value: never) => boolean;
  readonly rule: string;
  readonly path: readonly string[];
}

/** An object with these fields; others are dropped, or refused one by one when `strict` (like zod's strictObject). */
export function object<F extends Fields>(fields: F, opts: { strict?: boolean } = {}): InputShape<ObjectOf<F>> {
  return {
    check(value, path, problems) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        wrongType(problems, path, value, 'object');
        return value as ObjectOf<F>;
      }
      const out: Record<string, unknown> = {};
      for (const [key, shape] of Object.entries(fields)) {
        const v = shape.check((value as Record<string, unknown>)[key], join(path, key), problems);
        if (v !== undefined) out[key] = v;
      }
      if (opts.strict) {
        for (const key of Object.keys(value)) {
          if (!Object.hasOwn(fields, key)) problems.push({ field: at(join(path, key)), rule: 'unknown field not allowed' });
        }
      }
      return out as ObjectOf<F>;
    },
  };
}

/**
 * `shape` (an object), then its refinements in order on the checked value, unless the value or one of its fields had a
 * wrong type or an unlisted value: zod skips an object's refinements then, not after a rule such as a length.
 */
export function refined<T>(shape: InputShape<T>, refinements: readonly Refinement[]): InputShape<T> {
  return {
    check(value, path, problems) {
      const start = problems.length;
      const out = shape.check(value, path, problems);
      if (!problems.slice(start).some((p) => aborting.has(p))) {
        for (const r of refinements) if (!r.test(out as never)) problems.push({ field: at(join(path, r.path.join('.'))), rule: r.rule });
      }
      return out;
    },
  };
}

/**
 * A check of a string's (or an array's) value, in a list run in order. `lengthOnly` checks also run on a value of the
 * wrong type that has a length, as zod's length checks do.
 */
export interface ValueCheck<V> {
  (value: V, field: string, problems: InputProblem[]): V;
  lengthOnly?: true;
  /** The most characters or items allowed (a maxLength check). */
  max?: number;
}

const hasLength = (value: unknown) => value !== undefined && value !== null && (value as { length?: unknown }).length !== undefined;

function lengthCheck<V>(test: (length: number) => boolean, rule: string): ValueCheck<V> {
  const check: ValueCheck<V> = (value, field, problems) => {
    if (!test((value as { length: number }).length)) problems.push({ field, rule });
    return value;
  };
  check.lengthOnly = true;
  return check;
}

/** At least `min` characters (or items). */
export const minLength = <V>(min: number, rule: string) => lengthCheck<V>((n) => n >= min, rule);
/** At most `max` characters (or items). */
export const maxLength = <V>(max: number, rule: string) => Object.assign(lengthCheck<V>((n) => n <= max, rule), { max });
/** The string with its surrounding white space removed (later checks see the trimmed text). */
export const trimmed: ValueCheck<string> = (value) => value.trim();
/** The string in lower case. */
export const lowerCased: ValueCheck<string> = (value) => value.toLowerCase();
/** Matching `pattern`, or a problem worded `rule`. */
export const matching = (pattern: RegExp, rule: string): ValueCheck<string> => (value, field, problems) => {
  if (!pattern.test(value)) problems.push({ field, rule });
  return value;
};

function runChecks<V>(value: unknown, ok: boolean, checks: readonly ValueCheck<V>[], path: string, problems: InputProblem[]): V {
  let v = value as V;
  for (const check of checks) if (ok || (check.lengthOnly && hasLength(value))) v = check(v, at(path), problems);
  return v;
}

/** A string put through `checks` in order (the value comes back transformed: trimmed, lower-cased). */
export function string(...checks: ValueCheck<string>[]): InputShape<string> {
  return {
    check(value, path, problems) {
      const ok = typeof value === 'string';
      if (!ok) wrongType(problems, path, value, 'string');
      return runChecks(value, ok, checks, path, problems);
    },
  };
}

/**
 * An array of `element`s, then `checks` on the array (lengths). An array longer than a leading maxLength allows gets
 * that one problem and its items are not checked (zod's guard against huge inputs; nothing else is checked after it).
 */
export function array<T>(element: InputShape<T>, ...checks: ValueCheck<unknown[]>[]): InputShape<T[]> {
  return {
    check(value, path, problems) {
      const ok = Array.isArray(value);
      if (!ok) wrongType(problems, path, value, 'array');
      for (const check of checks) {
        if (!ok || !check.lengthOnly) break;
        if (check.max !== undefined && value.length > check.max) {
          const start = problems.length;
          check(value, at(path), problems);
          for (const p of problems.slice(start)) aborting.add(p);
          return value as T[];
        }
      }
      const out = ok ? value.map((item, i) => element.check(item, `${path}[${i}]`, problems)) : value;
      return runChecks(out, ok, checks, path, problems) as T[];
    },
  };
}

/** A check of a number: false when no later check should run (zod's aborting checks). */
export type NumberCheck = (value: number, field: string, problems: InputProblem[]) => boolean;

/** A finite number put through `checks` in order. */
export function number(...checks: NumberCheck[]): InputShape<number> {
  return {
    check(value, path, problems) {
      // Number.isFinite is false for anything but a finite number (it does not convert).
      if (!Number.isFinite(value)) wrongType(problems, path, value, 'number');
      else for (const check of checks) if (!check(value as number, at(path), problems)) break;
      return value as number;
    },
  };
}

const bound = (test: (n: number) => boolean, rule: string): NumberCheck => (value, field, problems) => {
  if (!test(value)) problems.push({ field, rule });
  return true;
};
/** >= min. */
export const atLeast = (min: number, rule: string) => bound((n) => n >= min, rule);
/** > min. */
export const above = (min: number, rule: string) => bound((n) => n > min, rule);
/** <= max. */
export const atMost = (max: number, rule: string) => bound((n) => n <= max, rule);
/** < max. */
export const below = (max: number, rule: string) => bound((n) => n < max, rule);
/** A whole number (no later check runs on a fraction) within the safe integer range. */
export const whole = (rule: string): NumberCheck => (value, field, problems) => {
  if (!Number.isInteger(value)) {
    abort(problems, field, rule);
    return false;
  }
  if (!Number.isSafeInteger(value)) problems.push({ field, rule });
  return true;
};

/** true or false. */
export function boolean(): InputShape<boolean> {
  return {
    check(value, path, problems) {
      if (typeof value !== 'boolean') wrongType(problems, path, value, 'boolean');
      return value as boolean;
    },
  };
}

/** `first`, then `second` on its value when `first` found nothing wrong (zod's pipe). */
export function pipe<T>(first: InputShape<T>, second: InputShape<T>): InputShape<T> {
  return {
    check(value, path, problems) {
      const start = problems.length;
      const v = first.check(value, path, problems);
      return problems.length > start ? v : second.check(v, path, problems);
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
        abort(problems, at(path), rule);
        return value as never;
      }
      const tag = (value as Record<string, unknown>)[key];
      const shape = typeof tag === 'string' && Object.hasOwn(options, tag) ? options[tag] : undefined;
      if (!shape) {
        abort(problems, join(path, key), rule);
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
