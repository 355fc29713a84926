/**
 * Slicing a Smithy JSON model: the closure of shapes reachable from one input structure, with what a validator needs
 * (required members, enums, patterns, lengths, list lengths), in the slice format functions/core/ace/shape-check.ts
 * checks bodies against. Pure (model in, slice out). Used by the generator (scripts/gen-ace-model.ts, the slices the
 * functions bundle) and by the local Partner Central stand-in (lib/local/partner-central/models.ts, which slices both
 * vendored models per operation to validate every request).
 */
import { createHash } from 'node:crypto';
import type { Length, ShapeSlice, SliceMember, SliceShape } from '../../../schemas/ace-data.ts';

type SmithyTraits = Record<string, unknown>;
type SmithyRef = { target: string; traits?: SmithyTraits };
export type SmithyShape = {
  type: string;
  traits?: SmithyTraits;
  member?: SmithyRef;
  members?: Record<string, SmithyRef>;
  version?: string;
};
export type SmithyModel = { smithy: string; shapes: Record<string, SmithyShape> };

const NAMESPACE = 'com.amazonaws.partnercentralselling#';
const PRELUDE = 'smithy.api#';
export const MODEL_FILE = 'data/ace/partnercentral-selling-2022-07-26.json';
const ROOT = 'CreateOpportunityRequest';

/**
 * `com.amazonaws.partnercentralselling#Account` → `Account`, `smithy.api#String` → `String`. Any one service namespace
 * (the Benefits model's too: the local Partner Central stand-in slices both models per operation).
 */
function localName(id: string, namespace = NAMESPACE): string {
  if (id.startsWith(namespace)) return id.slice(namespace.length);
  if (id.startsWith(PRELUDE)) return id.slice(PRELUDE.length);
  throw new Error(`shape outside the service namespace: ${id}`);
}

// The model states most string lengths as `^(?s).{min,max}$` patterns; turning them into lengths gives readable
// rules ("must be at most 255 characters") and keeps the inline `(?s)` flag, which JavaScript lacks, out of the slice.
const LENGTH_PATTERN = /^\^\(\?s\)\.\{(\d+),(\d+)\}\$$/;

function constraintsOf(traits: SmithyTraits | undefined): { pattern?: string; length?: Length } {
  const out: { pattern?: string; length?: Length } = {};
  const pattern = traits?.['smithy.api#pattern'];
  if (typeof pattern === 'string') {
    const asLength = LENGTH_PATTERN.exec(pattern);
    if (asLength) out.length = { min: Number(asLength[1]), max: Number(asLength[2]) };
    else if (pattern.includes('(?s)')) throw new Error(`unsupported (?s) pattern: ${pattern}`);
    else out.pattern = pattern;
  }
  const length = traits?.['smithy.api#length'] as Length | undefined;
  if (length) out.length = { ...(length.min !== undefined && { min: length.min }), ...(length.max !== undefined && { max: length.max }) };
  return out;
}

function memberOf(ref: SmithyRef, namespace: string): SliceMember {
  const member: SliceMember = { target: localName(ref.target, namespace) };
  if (ref.traits?.['smithy.api#required'] !== undefined) member.required = true;
  // Member traits override the target's (Smithy semantics), e.g. CompanyName's 120 over Name's 80.
  return { ...member, ...constraintsOf(ref.traits) };
}

function sliceShape(id: string, shape: SmithyShape, namespace = NAMESPACE): SliceShape {
  switch (shape.type) {
    case 'structure':
      return {
        type: 'structure',
        members: Object.fromEntries(Object.entries(shape.members ?? {}).map(([name, ref]) => [name, memberOf(ref, namespace)])),
      };
    case 'list': {
      if (!shape.member) throw new Error(`list without member: ${id}`);
      return { type: 'list', member: memberOf(shape.member, namespace), ...constraintsOf(shape.traits) };
    }
    case 'enum':
      return { type: 'enum', values: enumMemberValues(shape) };
    case 'string':
      return { type: 'string', ...constraintsOf(shape.traits) };
    case 'timestamp': {
      const format = shape.traits?.['smithy.api#timestampFormat'];
      return typeof format === 'string' ? { type: 'timestamp', format } : { type: 'timestamp' };
    }
    case 'boolean': case 'integer': case 'long': case 'double': case 'float': case 'document':
      return { type: shape.type };
    default:
      throw new Error(`unsupported shape type ${shape.type} (${id}): extend the generator and the validator`);
  }
}

const PRELUDE_SHAPES: Record<string, SmithyShape> = {
  [`${PRELUDE}String`]: { type: 'string' },
  [`${PRELUDE}Boolean`]: { type: 'boolean' },
  [`${PRELUDE}Integer`]: { type: 'integer' },
  [`${PRELUDE}Timestamp`]: { type: 'timestamp' },
  [`${PRELUDE}Long`]: { type: 'long' },
  [`${PRELUDE}Double`]: { type: 'double' },
  [`${PRELUDE}Document`]: { type: 'document' },
};

function referencedIds(shape: SmithyShape): string[] {
  const refs = [...(shape.member ? [shape.member] : []), ...Object.values(shape.members ?? {})];
  // Enum members target smithy.api#Unit: they are values, not shapes to walk.
  return shape.type === 'enum' ? [] : refs.map((r) => r.target);
}

/**
 * The closure of shapes reachable from `root` (default CreateOpportunityRequest), in a stable (sorted) order.
 * `namespace` and `file` name another model (e.g. the Benefits API's) when slicing it.
 */
/** An enum shape's values; a member without the enumValue trait has its name as value (Smithy 2.0 enum shapes). */
export function enumMemberValues(shape: SmithyShape): string[] {
  return Object.entries(shape.members ?? {}).map(([name, m]) => String(m.traits?.['smithy.api#enumValue'] ?? name));
}

export function buildShapeSlice(model: SmithyModel, modelText: string, opts: { root?: string; namespace?: string; file?: string } = {}): ShapeSlice {
  const namespace = opts.namespace ?? NAMESPACE;
  const root = opts.root ?? ROOT;
  const collected = new Map<string, SliceShape>();
  const pending = [`${namespace}${root}`];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    const name = localName(id, namespace);
    if (collected.has(name)) continue;
    const shape = model.shapes[id] ?? PRELUDE_SHAPES[id];
    if (!shape) throw new Error(`unknown shape ${id}`);
    collected.set(name, sliceShape(id, shape, namespace));
    pending.push(...referencedIds(shape));
  }
  const service = Object.values(model.shapes).find((s) => s.type === 'service');
  return {
    source: {
      file: opts.file ?? MODEL_FILE,
      sha256: createHash('sha256').update(modelText).digest('hex'),
      serviceVersion: service?.version ?? 'unknown',
      note: 'Generated by scripts/gen-ace-model.ts (npm run gen:ace). Lengths come from ^(?s).{min,max}$ patterns.',
    },
    root,
    shapes: Object.fromEntries([...collected.entries()].sort(([a], [b]) => a.localeCompare(b))),
  };
}
