/**
 * Checks a value against the CreateOpportunity shape slice by walking it: structures (required and unknown
 * members), lists (lengths), enums, strings (lengths, patterns) and timestamps. Nothing here names a field of the
 * API: every rule comes from the service model, so a new model version changes the checks without code changes.
 */
import type { FieldProblem } from '../../../schemas/issues.ts';
import { fieldPath } from '../../../schemas/issue-rules.ts';
import type { Length, SliceMember, SliceShape } from './model.ts';
import type { RuntimeShapeSlice as ShapeSlice } from '../../../schemas/runtime-data.ts';
import { runtimeShapeSlice } from './model.ts';

type Path = readonly (string | number)[];

// Patterns read badly as rules; these say the same thing for people. Keyed by shape (or member) name.
const PATTERN_RULES: Record<string, string> = {
  Email: 'must be a lower-case email address of at most 80 characters',
  PhoneNumber: 'must be an E.164 phone number, e.g. +14155550100',
  Amount: 'must be a decimal string such as 1234.56 (no leading zeros, at most 2 decimals, no separators)',
  Date: 'must be a date YYYY-MM-DD',
  CatalogIdentifier: 'must be letters only: AWS or Sandbox',
  ClientToken: 'must be 1 to 255 characters on one line',
  DunsNumber: 'must be a 9-digit DUNS number',
  AwsAccount: 'must be a 12-digit AWS account id',
  OpportunityIdentifier: 'must be an opportunity id such as O1234567',
  EstimationUrl: 'must be an AWS Pricing Calculator estimate link (https://calculator.aws/#/estimate?id=...)',
};

// The model's patterns use Unicode classes (\p{L}); compile each once.
const compiled = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    compiled.set(pattern, re);
  }
  return re;
}

const problem = (path: Path, rule: string): FieldProblem => ({ field: fieldPath(path), rule });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON null is how the AWS samples send "absent"; the SDKs drop it, so it counts as a missing member. */
export const isAbsent = (value: unknown): boolean => value === undefined || value === null;

export function enumRule(shapeName: string, values: readonly string[]): string {
  // A 249-value list helps nobody in an error message; name the list and show how values look.
  if (values.length > 12) return `must be one of the ${values.length} ${shapeName} values, e.g. ${values.slice(0, 3).map((v) => JSON.stringify(v)).join(', ')}`;
  return `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

function lengthProblem(length: Length | undefined, size: number, what: 'characters' | 'items'): string | undefined {
  const verb = what === 'characters' ? 'be' : 'have';
  if (length?.min !== undefined && size < length.min) {
    return length.min === 1 && what === 'characters' ? 'must not be empty' : `must ${verb} at least ${length.min} ${what}`;
  }
  if (length?.max !== undefined && size > length.max) return `must ${verb} at most ${length.max} ${what}`;
  return undefined;
}

function checkString(value: unknown, ref: SliceMember, shape: SliceShape & { type: 'string' }, memberName: string, path: Path, out: FieldProblem[]): void {
  if (typeof value !== 'string') {
    out.push(problem(path, 'must be a string'));
    return;
  }
  // The service counts characters, not UTF-16 code units.
  const tooLongOrShort = lengthProblem(ref.length ?? shape.length, [...value].length, 'characters');
  if (tooLongOrShort) out.push(problem(path, tooLongOrShort));
  const pattern = ref.pattern ?? shape.pattern;
  if (pattern && !regex(pattern).test(value)) {
    out.push(problem(path, PATTERN_RULES[ref.target] ?? PATTERN_RULES[memberName] ?? `must match ${pattern}`));
  }
}

function checkStructure(slice: ShapeSlice, value: unknown, shape: SliceShape & { type: 'structure' }, path: Path, out: FieldProblem[]): void {
  if (!isPlainObject(value)) {
    out.push(problem(path, 'must be an object'));
    return;
  }
  for (const key of Object.keys(value)) {
    // An undefined-valued key never reaches the wire (JSON drops it), so only keys with values are unknown fields.
    // Own members only: `in` would find `constructor`, `toString` … on the prototype and take them for fields of the model.
    if (!Object.hasOwn(shape.members, key) && value[key] !== undefined) out.push(problem([...path, key], 'unknown field not allowed'));
  }
  for (const [name, member] of Object.entries(shape.members)) {
    const memberValue = value[name];
    if (isAbsent(memberValue)) {
      if (member.required) out.push(problem([...path, name], 'is required'));
      continue;
    }
    checkValue(slice, memberValue, member, name, [...path, name], out);
  }
}

function checkList(slice: ShapeSlice, value: unknown, shape: SliceShape & { type: 'list' }, path: Path, out: FieldProblem[]): void {
  if (!Array.isArray(value)) {
    out.push(problem(path, 'must be a list'));
    return;
  }
  const sizeProblem = lengthProblem(shape.length, value.length, 'items');
  if (sizeProblem) out.push(problem(path, sizeProblem));
  value.forEach((item, index) => {
    if (isAbsent(item)) out.push(problem([...path, index], 'must not be null'));
    else checkValue(slice, item, shape.member, String(path[path.length - 1] ?? ''), [...path, index], out);
  });
}

function checkValue(slice: ShapeSlice, value: unknown, ref: SliceMember, memberName: string, path: Path, out: FieldProblem[]): void {
  const shape = slice.shapes[ref.target];
  if (!shape) throw new Error(`shape slice has no ${ref.target}: regenerate with npm run gen:ace`);
  switch (shape.type) {
    case 'structure':
      return checkStructure(slice, value, shape, path, out);
    case 'list':
      return checkList(slice, value, shape, path, out);
    case 'enum':
      if (typeof value !== 'string' || !shape.values.includes(value)) out.push(problem(path, enumRule(ref.target, shape.values)));
      return;
    case 'string':
      return checkString(value, ref, shape, memberName, path, out);
    case 'timestamp':
      // JSON protocols send a timestamp without a format trait as epoch seconds, one with `date-time` as ISO 8601.
      // (Number.isFinite is false for anything but a finite number: it does not coerce.)
      if (!shape.format && Number.isFinite(value)) return;
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) out.push(problem(path, 'must be an ISO 8601 date-time'));
      return;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(problem(path, 'must be true or false'));
      return;
    case 'document':
      return;
    default:
      // Number.isFinite is false for anything but a finite number (no coercion): strings, NaN, ±Infinity.
      if (!Number.isFinite(value)) out.push(problem(path, 'must be a number'));
  }
}

/** Every way `body` departs from the CreateOpportunityRequest shape, in document order. */
export function checkAgainstModel(body: unknown): FieldProblem[] {
  return checkAgainstSlice(body, runtimeShapeSlice);
}

/** Every way `body` departs from the root shape of any slice (e.g. another operation's input), in document order. */
export function checkAgainstSlice(body: unknown, slice: ShapeSlice): FieldProblem[] {
  const out: FieldProblem[] = [];
  checkValue(slice, body, { target: slice.root }, '', [], out);
  return out;
}
