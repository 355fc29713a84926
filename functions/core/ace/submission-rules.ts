/**
 * The documented submission rules the service model does not carry (ace-selling-api.md §2-§3, §11, Appendix A):
 * what must be present to submit, what must be absent, which plain-string fields take values from documented lists
 * (data/ace/submission-rules.json, with sources), and the few rules that compute (amount > 0, a future close date,
 * per-country postal formats, the configured catalog). Each reads the body defensively: shape problems are the
 * model walk's job, so a value of the wrong type is simply skipped here.
 */
import type { FieldProblem } from '../../../schemas/issues.ts';
import { fieldPath } from '../../../schemas/issue-rules.ts';
import type { Condition } from './model.ts';
import { enumValues, runtimeRules as submissionRules, valueList } from './model.ts';
import { hasPostalCodes, postalFormat as formatOf } from './address-rules.ts';
import { isAbsent } from './shape-check.ts';

export type Catalog = 'AWS' | 'Sandbox';
export type RuleContext = { body: unknown; now: Date; catalog?: Catalog };

type Located = { path: (string | number)[]; value: unknown };

/** Resolves a dotted path where `[]` means "each item", e.g. `Project.ExpectedCustomerSpend[].Amount`. */
export function resolve(body: unknown, path: string): Located[] {
  let found: Located[] = [{ path: [], value: body }];
  for (const segment of path.split('.')) {
    const each = segment.endsWith('[]');
    const key = each ? segment.slice(0, -2) : segment;
    const next: Located[] = [];
    for (const { path: at, value } of found) {
      const child = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
      if (!each) next.push({ path: [...at, key], value: child });
      else if (Array.isArray(child)) child.forEach((item, i) => next.push({ path: [...at, key, i], value: item }));
    }
    found = next;
  }
  return found;
}

const valueAt = (body: unknown, path: string): unknown => resolve(body, path)[0]?.value;
const stringAt = (body: unknown, path: string): string | undefined => {
  const value = valueAt(body, path);
  return typeof value === 'string' ? value : undefined;
};

/** Present for submission: not null, not a blank string, not an empty list. */
function isPresent(value: unknown): boolean {
  if (isAbsent(value)) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** The country, when it is one the model knows: an invalid code is the model walk's problem, not a condition. */
function country(body: unknown): string | undefined {
  const code = stringAt(body, 'Customer.Account.Address.CountryCode');
  return code !== undefined && enumValues('CountryCode').includes(code) ? code : undefined;
}

const CONDITION_TESTS: Record<Condition, (ctx: RuleContext, located: Located) => boolean> = {
  catalogIsAws: ({ body }) => stringAt(body, 'Catalog') === 'AWS',
  industryIsOther: ({ body }) => stringAt(body, 'Customer.Account.Industry') === 'Other',
  nationalSecurity: ({ body }) => stringAt(body, 'NationalSecurity') === 'Yes',
  countryIsUs: ({ body }) => country(body) === 'US',
  countryIsNotUs: ({ body }) => country(body) !== undefined && country(body) !== 'US',
  countryHasPostalCodes: ({ body }) => {
    const code = country(body);
    return code !== undefined && hasPostalCodes(code);
  },
  countryHasNoPostalCodes: ({ body }) => {
    const code = country(body);
    return code !== undefined && !hasPostalCodes(code);
  },
  competitorIsOther: ({ body }) => stringAt(body, 'Project.CompetitorName') === '*Other',
  flatRenewal: ({ body }) => stringAt(body, 'OpportunityType') === 'Flat Renewal',
  closedLost: ({ body }) => stringAt(body, 'LifeCycle.Stage') === 'Closed Lost',
  marketingActivity: ({ body }) => stringAt(body, 'Marketing.Source') === 'Marketing Activity',
  marketingSourceNone: ({ body }) => stringAt(body, 'Marketing.Source') === 'None',
  awsFundingNotUsed: ({ body }) => stringAt(body, 'Marketing.AwsFundingUsed') === 'No',
  blankString: (_ctx, { value }) => typeof value === 'string' && value.trim() === '',
};

function applies(rule: { when?: Condition; unless?: Condition }, ctx: RuleContext, located: Located): boolean {
  if (rule.when && !CONDITION_TESTS[rule.when](ctx, located)) return false;
  if (rule.unless && CONDITION_TESTS[rule.unless](ctx, located)) return false;
  return true;
}

/**
 * The places a path names whose parent exists: a missing `Project` is one problem, not six, and a null spend line is
 * the model walk's problem ("must not be null"), not a line without an Amount, whatever the other lines hold.
 */
function underPresentParents(body: unknown, path: string): Located[] {
  const cut = path.lastIndexOf('.');
  if (cut < 0) return resolve(body, path);
  return resolve(body, path.slice(0, cut))
    .filter((parent) => !isAbsent(parent.value))
    .flatMap((parent) => resolve(parent.value, path.slice(cut + 1)).map((child) => ({ path: [...parent.path, ...child.path], value: child.value })));
}

function requiredProblems(ctx: RuleContext): FieldProblem[] {
  return submissionRules.requiredForSubmission.flatMap((rule) =>
    underPresentParents(ctx.body, rule.path)
      .filter((located) => applies(rule, ctx, located) && !isPresent(located.value))
      .map((located) => ({ field: fieldPath(located.path), rule: rule.rule })),
  );
}

function forbiddenProblems(ctx: RuleContext): FieldProblem[] {
  return submissionRules.forbidden.flatMap((rule) =>
    resolve(ctx.body, rule.path)
      // Absent is what these rules ask for; an empty string still counts as sent (the service rejects it).
      .filter((located) => !isAbsent(located.value) && !(Array.isArray(located.value) && located.value.length === 0))
      .filter((located) => applies(rule, ctx, located))
      .map((located) => ({ field: fieldPath(located.path), rule: rule.rule })),
  );
}

/** How a documented list is named in a rule without its own wording (exported for the tests: today's short lists all have one). */
export function listRule(listName: string, values: readonly string[]): string {
  if (listName === 'usStates') return `must be a US state or territory as ACE spells it, e.g. "California" (${values.length} values)`;
  if (values.length > 12) return `must be one of the ${values.length} documented values, e.g. ${values.slice(0, 2).map((v) => JSON.stringify(v)).join(', ')}`;
  return `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

function allowedValueProblems(ctx: RuleContext): FieldProblem[] {
  return submissionRules.allowedValues.flatMap((rule) => {
    const values = valueList(rule.list);
    return resolve(ctx.body, rule.path)
      .filter((located) => typeof located.value === 'string' && located.value.trim() !== '')
      .filter((located) => applies(rule, ctx, located) && !values.includes(located.value as string))
      .map((located) => ({ field: fieldPath(located.path), rule: rule.rule ?? listRule(rule.list, values) }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Rules that compute

function configuredCatalog({ body, catalog }: RuleContext): FieldProblem[] {
  const sent = stringAt(body, 'Catalog');
  if (!catalog || sent === undefined || sent === catalog) return [];
  return [{ field: 'Catalog', rule: `must be "${catalog}", the catalog configured for this environment` }];
}

function positiveAmounts({ body }: RuleContext): FieldProblem[] {
  return resolve(body, 'Project.ExpectedCustomerSpend[].Amount')
    .filter(({ value }) => typeof value === 'string' && /^\d+(\.\d*)?$/.test(value) && Number(value) === 0)
    .map(({ path }) => ({ field: fieldPath(path), rule: 'must be greater than 0 (the expected monthly AWS spend)' }));
}

function euscCurrency({ body }: RuleContext): FieldProblem[] {
  if (stringAt(body, 'Project.AwsPartition') !== 'aws-eusc') return [];
  return resolve(body, 'Project.ExpectedCustomerSpend[].CurrencyCode')
    .filter(({ value }) => typeof value === 'string' && value !== 'EUR')
    .map(({ path }) => ({ field: fieldPath(path), rule: 'must be EUR when Project.AwsPartition is aws-eusc' }));
}

/** `YYYY-MM-DD` as a real calendar day (the model's pattern accepts 2026-02-31). */
function isCalendarDate(text: string): boolean {
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

function futureCloseDate({ body, now }: RuleContext): FieldProblem[] {
  const date = stringAt(body, 'LifeCycle.TargetCloseDate');
  if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return [];
  if (!isCalendarDate(date)) return [{ field: 'LifeCycle.TargetCloseDate', rule: 'must be a real calendar date' }];
  const today = now.toISOString().slice(0, 10);
  // Strictly after today (UTC): "today" has already passed in some time zones the service may judge by.
  if (date <= today) return [{ field: 'LifeCycle.TargetCloseDate', rule: `must be in the future (after ${today})` }];
  return [];
}

function postalFormat({ body }: RuleContext): FieldProblem[] {
  const code = country(body);
  const postal = stringAt(body, 'Customer.Account.Address.PostalCode');
  const format = code ? formatOf(code) : undefined;
  if (!format || postal === undefined || postal.trim() === '') return [];
  if (new RegExp(format.pattern, 'i').test(postal)) return [];
  return [{ field: 'Customer.Account.Address.PostalCode', rule: `must be in ${format.format} format for ${format.name}` }];
}

function nationalSecurityOnlyForGovernment({ body }: RuleContext): FieldProblem[] {
  if (stringAt(body, 'NationalSecurity') !== 'Yes' || stringAt(body, 'Customer.Account.Industry') === 'Government') return [];
  return [{ field: 'NationalSecurity', rule: 'may be "Yes" only when Customer.Account.Industry is Government' }];
}

const COMPUTED_RULES: ((ctx: RuleContext) => FieldProblem[])[] = [
  configuredCatalog,
  positiveAmounts,
  euscCurrency,
  futureCloseDate,
  postalFormat,
  nationalSecurityOnlyForGovernment,
];

/** Every documented submission rule the body breaks. */
export function checkSubmissionRules(ctx: RuleContext): FieldProblem[] {
  return [
    ...requiredProblems(ctx),
    ...forbiddenProblems(ctx),
    ...allowedValueProblems(ctx),
    ...COMPUTED_RULES.flatMap((rule) => rule(ctx)),
  ];
}
