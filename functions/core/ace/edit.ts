/**
 * Editing a drafted CreateOpportunity body: JSON Merge Patch (RFC 7396) and the rules on what may change.
 * While AWS has a filed record in Action Required, ACE lets a partner change only a few fields
 * (ace-selling-api.md §4.1); every other changed field is refused, naming the field and the rule.
 * Pure: the caller re-validates the result with validate.ts.
 */
import type { FieldProblem } from '../../../schemas/issues.ts';

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7396: objects merge member by member, `null` removes a member, anything else (arrays too) replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    // Defined, not assigned: a member named `__proto__` stays a member (assigning it would set the prototype; the
    // HTTP layer refuses such bodies already, this keeps the core safe on its own).
    else Object.defineProperty(out, key, { value: applyMergePatch(out[key], value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Paths of every leaf that differs between two JSON values (a list whose length changed counts as one path). */
export function changedPaths(before: Json, after: Json, path = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].sort().flatMap((k) => changedPaths(before[k], after[k], join(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => changedPaths(item, after[i], join(path, i)));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path || '(root)'];
}

/** Set by this service, never by a partner edit. */
export const SERVICE_MANAGED_FIELDS = ['Catalog', 'ClientToken'] as const;

/**
 * The fields ACE lets a partner update while a record is in Action Required (ace-selling-api.md §4.1, from the
 * Partner Central docs): list items are written with `[]`.
 */
export const ACTION_REQUIRED_EDITABLE: readonly string[] = [
  'Customer.Account.Address.City',
  'Customer.Account.Address.CountryCode',
  'Customer.Account.Address.PostalCode',
  'Customer.Account.Address.StateOrRegion',
  'Customer.Account.Address.StreetAddress',
  'Customer.Account.WebsiteUrl',
  'LifeCycle.TargetCloseDate',
  'Project.ExpectedCustomerSpend[].Amount',
  'Project.ExpectedCustomerSpend[].CurrencyCode',
  'Project.CustomerBusinessProblem',
  'PartnerOpportunityIdentifier',
];

const ACTION_REQUIRED_RULE =
  'cannot be changed while the record is in Action Required: ACE lets a partner change only the customer address, ' +
  'Customer.Account.WebsiteUrl, LifeCycle.TargetCloseDate, Project.ExpectedCustomerSpend Amount/CurrencyCode, ' +
  'Project.CustomerBusinessProblem and PartnerOpportunityIdentifier';

export type EditMode = 'draft' | 'action_required';

/** What a patch may not change in this mode, as `{ field, rule }` (the validator then checks the result). */
export function editProblems(before: Json, after: Json, mode: EditMode): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const path of changedPaths(before, after)) {
    const generic = path.replace(/\[\d+\]/g, '[]');
    const top = generic.split(/[.[]/)[0] ?? generic;
    if ((SERVICE_MANAGED_FIELDS as readonly string[]).includes(top)) {
      problems.push({ field: path, rule: 'is set by the service and cannot be edited' });
    } else if (mode === 'action_required' && !ACTION_REQUIRED_EDITABLE.includes(generic)) {
      problems.push({ field: path, rule: ACTION_REQUIRED_RULE });
    }
  }
  return problems;
}
