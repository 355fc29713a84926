/**
 * The ACE data the validator and the drafter run on: the CreateOpportunity shape slice (generated from the Partner
 * Central service model), per-country postal codes (generated from AWS's CSVs) and the documented submission rules
 * (hand-kept, with sources). See scripts/gen-ace-model.ts and data/ace/.
 *
 * Checked at build, trusted at run: functions/core/data-checks.ts validates the files against schemas/ace-data.ts
 * (and that every rule's value list exists) in the unit tests and on every synth, so a function's cold start does
 * not build the schemas and walk the data again (issue 11 §1). The functions load the run-time projections of the
 * slice and the rules together (data/runtime/ace-validation.json: both packed, the rules without sources) and of the
 * address rules (./address-rules.ts), made by `npm run gen:runtime-data`; `postalCodes` and `submissionRules` are the
 * whole files for people and tests.
 */
import sliceJson from '../../../data/ace/create-opportunity.shapes.json' with { type: 'json' };
import postalJson from '../../../data/ace/postal-codes.json' with { type: 'json' };
import rulesJson from '../../../data/ace/submission-rules.json' with { type: 'json' };
import runtimeValidationBr from '../../../data/runtime/ace-validation.br.ts';
import type { PostalCodes, ShapeSlice, SubmissionRules } from '../../../schemas/ace-data.ts';
import type { RuntimeShapeSlice, RuntimeSubmissionRules } from '../../../schemas/runtime-data.ts';
import { unpackShapeSlice, unpackSubmissionRules, type PackedAceValidation } from '../packed-data.ts';
import { inflateJson } from '../compressed-data.ts';
import { aceAddress, aceStateName } from './address-rules.ts';

export type { Condition, Length, PostalCodes, ShapeSlice, SliceMember, SliceShape, SubmissionRules } from '../../../schemas/ace-data.ts';
export { CONDITIONS } from '../../../schemas/ace-conditions.ts';

/** The whole files (sources included): for people and tests; no function reads them. */
export const shapeSlice = sliceJson as unknown as ShapeSlice;
export const postalCodes = postalJson as unknown as PostalCodes;
export const submissionRules = rulesJson as unknown as SubmissionRules;

/** The slice and the rules as committed (data/runtime/ace-validation.json, compressed: ../compressed-data.ts), inflated once at load. */
const validation: PackedAceValidation = /* @__PURE__ */ inflateJson<PackedAceValidation>(runtimeValidationBr);

/**
 * What the validator reads of the shape slice: the slice without its source block and without the CountryCode enum,
 * whose values the address rules carry, unpacked once at load with the CountryCode enum put back from the address rules.
 */
export const runtimeShapeSlice: RuntimeShapeSlice = /* @__PURE__ */ shapeSliceOf(validation);

/**
 * The slice with the shape its projection leaves to the address rules (../runtime-data.ts ADDRESS_SHAPES) put back.
 * (These functions take the whole projection: a property read in a pure call's arguments would keep the inflate in
 * bundles that import this module without validating.)
 */
function shapeSliceOf(packed: PackedAceValidation): RuntimeShapeSlice {
  const slice = unpackShapeSlice(packed.shapes);
  return { ...slice, shapes: { ...slice.shapes, CountryCode: { type: 'enum', values: [...aceAddress.countryCodes] } } };
}

/** What the validator reads of the submission rules (without their sources), unpacked once at load. */
export const runtimeRules: RuntimeSubmissionRules = /* @__PURE__ */ rulesOf(validation);

function rulesOf(packed: PackedAceValidation): RuntimeSubmissionRules {
  return unpackSubmissionRules(packed.rules);
}

export { aceAddress, aceStateName };

/**
 * A documented value list by name (e.g. "customerUseCases"); data-checks.ts guarantees the names the rules use
 * exist. The US states are the address rules' list.
 */
export function valueList(name: string): readonly string[] {
  if (name === 'usStates') return aceAddress.usStates;
  return runtimeRules.lists[name]?.values ?? [];
}

/** Enum values of a shape of the slice, e.g. enumValues('Stage'). */
export function enumValues(shapeName: string): readonly string[] {
  const shape = runtimeShapeSlice.shapes[shapeName];
  return shape?.type === 'enum' ? shape.values : [];
}
