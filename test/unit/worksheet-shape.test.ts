/**
 * The worksheet checker compiled from the zod schema (functions/core/worksheet-shape.generated.ts, issue 11 §1) is the
 * schema's twin: the committed file is what the compiler renders today, and on valid worksheets and on every kind of
 * damage done to them it gives zod's answer exactly (the same value, or the same problems in the same order).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { OUTPUT, renderWorksheetShape } from '../../scripts/gen-worksheet-shape.ts';
import { above, atLeast, atMost, below, checkInput, number, whole } from '../../functions/core/input-shape.ts';
import { WorksheetShape } from '../../functions/core/worksheet-shape.generated.ts';
import { parseWith } from '../../schemas/issues.ts';
import { Worksheet } from '../../schemas/worksheet.ts';
import { sharesAddUpToOne } from '../../schemas/worksheet-rules.ts';
import { arbWorksheet } from '../support/arbitraries.ts';
import { ragWorksheet } from '../support/worksheets.ts';

const zodAnswer = (input: unknown) => parseWith(Worksheet, input);
const compiledAnswer = (input: unknown) => checkInput(WorksheetShape, input);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every place in a value a mutation can reach: the value itself, each member and each item, depth first. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function get(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

// Values a careless or hostile sender puts where another belongs; Infinity is what JSON.parse makes of 1e999.
const nasty = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -0, 1, -1, 0.5, 1.5, 0.0004, 2, 24, 25, 1e9, 1e9 + 1, 2e6 + 1, 1e20, -1e20, 2 ** 53, Infinity, -Infinity,
    '', ' ', '  padded  ', 'US', 'Other', 'bootstrapped', 'x'.repeat(130), 'y'.repeat(2000), 'A@B.COM', ' a@b.co ', '12345', '1234567890123',
    [], [1, 2], ['a'], {}, { length: 3 }, { length: 500 }),
  fc.string({ maxLength: 30 }),
  fc.double(),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);

type Mutation = { pick: number; kind: 'replace' | 'delete' | 'add' | 'pad' | 'upper'; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({ pick: fc.nat(), kind: fc.constantFrom('replace', 'delete', 'add', 'pad', 'upper'), value: nasty });

/** The worksheet damaged by each mutation in turn (a fresh copy: the arbitrary's values are not touched). */
function mutate(worksheet: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(worksheet) as Json;
  for (const mutation of mutations) {
    // A copy of the value put in: inserted by reference, a later mutation could change the arbitrary's own value.
    const m = { ...mutation, value: structuredClone(mutation.value) };
    const all = paths(root);
    const path = all[m.pick % all.length] as (string | number)[];
    if (path.length === 0) {
      if (m.kind === 'replace') root = m.value as Json;
      continue;
    }
    const parent = get(root, path.slice(0, -1)) as Record<string | number, unknown>;
    const key = path[path.length - 1] as string | number;
    const current = parent[key];
    if (m.kind === 'replace') parent[key] = m.value;
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.kind === 'add') {
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) (current as Record<string, unknown>)[`extra${m.pick % 3}`] = m.value;
      else if (Array.isArray(current)) current.push(m.value);
    } else if (typeof current === 'string') parent[key] = m.kind === 'pad' ? ` \t${current}\n ` : current.toUpperCase();
  }
  return root;
}

describe('the compiled worksheet checker (functions/core/worksheet-shape.generated.ts)', () => {
  it('is what the compiler renders from schemas/worksheet.ts today (run `npm run gen:worksheet-shape` after a schema change)', () => {
    expect(readFileSync(new URL(`../../${OUTPUT}`, import.meta.url), 'utf8')).toBe(renderWorksheetShape());
  });

  it('takes every valid worksheet as zod does, with the same value', () => {
    fc.assert(fc.property(arbWorksheet(), (w) => {
      const answer = compiledAnswer(w);
      expect(answer.ok).toBe(true);
      expect(answer).toStrictEqual(zodAnswer(w));
    }), { numRuns: 300 });
  });

  it('gives zod\'s answer for worksheets damaged in every way (replaced, removed, added, padded, upper-cased values)', () => {
    let refused = 0;
    fc.assert(fc.property(arbWorksheet(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (w, mutations) => {
      const damaged = mutate(w, mutations);
      const expected = zodAnswer(damaged);
      if (!expected.ok) refused += 1;
      expect(compiledAnswer(damaged)).toStrictEqual(expected);
    }), { numRuns: Number(process.env.WORKSHEET_SHAPE_RUNS ?? 3000) });
    // The damage mostly breaks a rule: the comparison is over problems, not only over accepted worksheets.
    expect(refused).toBeGreaterThan(1500);
  });

  const base = ragWorksheet() as unknown as Record<string, Record<string, unknown>>;
  const edit = (change: (w: Record<string, Record<string, unknown>>) => void) => {
    const w = structuredClone(base);
    change(w);
    return w;
  };
  const cases: [string, unknown][] = [
    ['not an object', 'worksheet'],
    ['null', null],
    ['an empty object', {}],
    ['an object whose one member is named with the empty string (the field is the root)', { '': null }],
    ['an array in a text field, long enough to break its length too', edit((w) => { (w.company as Record<string, unknown>).name = new Array(121).fill(1); })],
    ['eleven models of the wrong type: the list is too long, and its items are not checked', edit((w) => { (w.workload as Record<string, unknown>).models = new Array(11).fill(1); })],
    ['ten services of the wrong type, and shares not adding up: only the length is named (rules skipped)', edit((w) => {
      (w.workload as { models: { share: number }[] }).models[0]!.share = 0.2;
      w.otherServices = new Array(10).fill('x') as never;
    })],
    ['ten models (the most allowed) and nine services (the most allowed): taken', edit((w) => {
      (w.workload as Record<string, unknown>).models = Array.from({ length: 10 }, (_, i) => ({ modelId: `model-${i}`, share: 0.1 }));
      w.otherServices = Array.from({ length: 9 }, (_, i) => ({ service: `Service ${i}`, monthlyUsd: 1 })) as never;
    })],
    ['a share of 0 and no requests (both must be above 0)', edit((w) => {
      (w.workload as { models: { share: number }[] }).models[0]!.share = 0;
      (w.workload as Record<string, unknown>).requestsPerDay = 0;
    })],
    ['a string where the model list goes', edit((w) => { (w.workload as Record<string, unknown>).models = 'x'.repeat(11); })],
    ['a fraction of a token (later bounds are not checked)', edit((w) => { (w.workload as Record<string, unknown>).avgInputTokens = -1.5; })],
    ['an integer past the safe range (the bounds still are)', edit((w) => { (w.workload as Record<string, unknown>).avgInputTokens = 1e20; })],
    ['Infinity from 1e999', edit((w) => { (w.workload as Record<string, unknown>).requestsPerDay = JSON.parse('1e999') as number; })],
    ['a padded, upper-case email (trimmed and lower-cased)', edit((w) => { (w.contact as Record<string, unknown>).email = '  Ada@Example.COM '; })],
    ['an email too long and malformed (only the length is named)', edit((w) => { (w.contact as Record<string, unknown>).email = 'x'.repeat(90); })],
    ['shares not adding up, and an unknown field (rules still run)', edit((w) => {
      const workload = w.workload as { models: { share: number }[] } & Record<string, unknown>;
      (workload.models[0] as { share: number }).share = 0.2;
      workload.extra = 1;
    })],
    ['shares not adding up beside a wrong type (rules skipped)', edit((w) => {
      const workload = w.workload as { models: { share: number }[] } & Record<string, unknown>;
      (workload.models[0] as { share: number }).share = 0.2;
      workload.monthsToCover = 'twelve';
    })],
    ['a US address without state or ZIP', edit((w) => { (w.company as Record<string, unknown>).address = { countryCode: 'US' }; })],
  ];
  it.each(cases)('%s: zod\'s answer', (_, input) => {
    expect(compiledAnswer(input)).toStrictEqual(zodAnswer(input));
  });

  it('renders each bound zod has as its builder, and the builders answer as zod does at and around each bound', () => {
    const rendered = renderWorksheetShape(z.strictObject({ n: z.number().check(z.gt(1, 'gt'), z.gte(2, 'gte'), z.lt(9, 'lt'), z.lte(8, 'lte'), z.int('int')) }));
    expect(rendered).toContain('n: number(above(1, "gt"), atLeast(2, "gte"), below(9, "lt"), atMost(8, "lte"), whole("int")),');
    const zodTwin = z.number().check(z.gt(1, 'gt'), z.gte(2, 'gte'), z.lt(9, 'lt'), z.lte(8, 'lte'), z.int('int'));
    const twin = number(above(1, 'gt'), atLeast(2, 'gte'), below(9, 'lt'), atMost(8, 'lte'), whole('int'));
    for (const n of [0, 1, 1.5, 2, 8, 8.5, 9, 10, -0, 2 ** 60]) expect(checkInput(twin, n), String(n)).toStrictEqual(parseWith(zodTwin, n));
  });

  it('words used by several rules become one constant (a bundle would repeat each literal); words used once stay in place', () => {
    const rendered = renderWorksheetShape(z.strictObject({
      a: z.string().check(z.minLength(1, 'is required')), b: z.string().check(z.minLength(1, 'is required'), z.maxLength(9, 'at most 9')),
    }));
    expect(rendered).toContain('const rule1 = "is required";');
    expect(rendered).toContain('a: string(minLength(1, rule1)),\n  b: string(minLength(1, rule1), maxLength(9, "at most 9")),');
    expect(rendered).not.toContain('rule2');
  });

  it('refuses to compile what it does not know, naming where, instead of checking less', () => {
    expect(() => renderWorksheetShape(z.strictObject({ when: z.date() }))).toThrow('when: zod type "date" is not compiled');
    expect(() => renderWorksheetShape(z.strictObject({ n: z.number() }).check(z.refine((v) => v.n > 1, 'must be > 1')))).toThrow('(root): a refinement must be a named predicate');
    expect(() => renderWorksheetShape(z.strictObject({ n: z.number().check(z.gte(1)) }))).toThrow('n: every check needs a message');
    expect(() => renderWorksheetShape(z.looseObject({ n: z.number() }))).toThrow('(root): an object that keeps unknown fields is not compiled');
    // An object that drops unknown fields (zod's plain object) is the input shape's default.
    expect(renderWorksheetShape(z.object({ n: z.number() }))).toContain('object({\n  n: number(),\n})');
    expect(renderWorksheetShape(z.strictObject({ models: z.array(z.strictObject({ modelId: z.string(), share: z.number() })) }).check(z.refine(sharesAddUpToOne, 'must add up'))))
      .toContain('refined(object({\n  models: array(object({\n    modelId: string(),\n    share: number(),\n  }, { strict: true })),\n}, { strict: true }), [\n  { test: sharesAddUpToOne, rule: "must add up", path: [] },\n])');
  });
});
