// The Partner Central service models the local stand-in validates every request against: the same Smithy files
// the project vendors (data/ace/), sliced per operation input by the project's generator (scripts/gen-ace-model.ts)
// and walked by the project's validator (functions/core/ace/shape-check.ts). No field of either API is named here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgainstSlice } from '../../../functions/core/ace/shape-check.ts';
import type { ShapeSlice } from '../../../functions/core/ace/model.ts';
import type { FieldProblem } from '../../../schemas/issues.ts';
import { buildShapeSlice, enumMemberValues, type SmithyModel } from '../../../functions/core/ace/smithy-slice.ts';
import { PROJECT_DIR } from '../paths.ts';

/** One service error in the model's own shape: `__type`, its HTTP status, its members. */
export class ServiceError extends Error {
  constructor(readonly type: string, readonly status: number, readonly members: Record<string, unknown>) {
    super(String(members.Message ?? type));
    this.name = type;
  }
}

export interface ServiceModelSpec {
  /** The model file under the project. */
  readonly file: string;
  readonly namespace: string;
}

export const SELLING_MODEL: ServiceModelSpec = { file: 'data/ace/partnercentral-selling-2022-07-26.json', namespace: 'com.amazonaws.partnercentralselling#' };
export const BENEFITS_MODEL: ServiceModelSpec = { file: 'data/ace/partnercentral-benefits-2018-05-10.json', namespace: 'com.amazonaws.partnercentralbenefits#' };

/**
 * How a model's ValidationException names fields, read from the model itself: Selling has `ErrorList` of
 * `{ FieldName, Message, Code }` and reasons REQUEST_/BUSINESS_VALIDATION_FAILED; Benefits has `FieldList` of
 * `{ Name, Message, Code }` and reasons fieldValidationFailed / BUSINESS_VALIDATION_FAILED.
 */
export interface ValidationShape {
  readonly listMember: string;
  readonly nameMember: string;
  readonly requestReason: string;
  readonly businessReason: string;
}

type Operation = { type: 'operation'; input?: { target: string } };

export class ServiceModel {
  /** The JSON 1.0 target prefix (`X-Amz-Target: <prefix>.<Operation>`): the service shape's name. */
  readonly targetPrefix: string;
  readonly #model: SmithyModel;
  readonly #text: string;
  readonly #spec: ServiceModelSpec;
  readonly #slices = new Map<string, ShapeSlice>();
  readonly validation: ValidationShape;

  constructor(spec: ServiceModelSpec, projectDir = PROJECT_DIR) {
    this.#spec = spec;
    this.#text = readFileSync(join(projectDir, spec.file), 'utf8');
    this.#model = JSON.parse(this.#text) as SmithyModel;
    const service = Object.entries(this.#model.shapes).find(([, s]) => s.type === 'service');
    if (!service) throw new Error(`${spec.file}: no service shape`);
    this.targetPrefix = service[0].slice(spec.namespace.length);
    this.validation = this.#validationShape();
  }

  #validationShape(): ValidationShape {
    const members = this.#model.shapes[`${this.#spec.namespace}ValidationException`]?.members ?? {};
    const [listMember, listRef] = Object.entries(members).find(([, m]) => this.#model.shapes[m.target]?.type === 'list') ?? ['ErrorList', undefined];
    const item = listRef ? this.#model.shapes[this.#model.shapes[listRef.target]?.member?.target ?? ''] : undefined;
    const nameMember = Object.keys(item?.members ?? {}).find((k) => k !== 'Message' && k !== 'Code') ?? 'FieldName';
    const reasons = this.enumValues('ValidationExceptionReason');
    return {
      listMember, nameMember,
      requestReason: reasons.find((r) => /request_validation|fieldvalidation/i.test(r)) ?? reasons[0] ?? 'REQUEST_VALIDATION_FAILED',
      businessReason: reasons.find((r) => /business/i.test(r)) ?? 'BUSINESS_VALIDATION_FAILED',
    };
  }

  hasOperation(operation: string): boolean {
    return this.#model.shapes[`${this.#spec.namespace}${operation}`]?.type === 'operation';
  }

  /** Every way `body` departs from the operation's input shape (the project's model-driven validator). */
  inputProblems(operation: string, body: unknown): FieldProblem[] {
    let slice = this.#slices.get(operation);
    if (!slice) {
      const op = this.#model.shapes[`${this.#spec.namespace}${operation}`] as unknown as Operation | undefined;
      const input = op?.input?.target;
      if (!input || input === 'smithy.api#Unit') return [];
      slice = buildShapeSlice(this.#model, this.#text, { root: input.slice(this.#spec.namespace.length), namespace: this.#spec.namespace, file: this.#spec.file });
      this.#slices.set(operation, slice);
    }
    return checkAgainstSlice(body, slice);
  }

  /** The top-level members of an operation's input shape, in the model's order. */
  inputMembers(operation: string): string[] {
    const op = this.#model.shapes[`${this.#spec.namespace}${operation}`] as unknown as Operation | undefined;
    const input = op?.input?.target;
    return input ? Object.keys(this.#model.shapes[input]?.members ?? {}) : [];
  }

  /** The values of one of the model's enums (e.g. ClosedLostReason). */
  enumValues(shapeName: string): string[] {
    const shape = this.#model.shapes[`${this.#spec.namespace}${shapeName}`];
    if (shape?.type !== 'enum') return [];
    return enumMemberValues(shape);
  }

  /** The HTTP status the model gives an error shape (`smithy.api#httpError`). */
  errorStatus(type: string): number {
    const traits = this.#model.shapes[`${this.#spec.namespace}${type}`]?.traits ?? {};
    return Number(traits['smithy.api#httpError'] ?? 400);
  }

  /** An error of this model, `__type` namespaced as the service sends it. */
  error(type: string, members: Record<string, unknown>): ServiceError {
    return new ServiceError(`${this.#spec.namespace}${type}`, this.errorStatus(type), members);
  }
}

/** The ValidationException error code for one of the validator's rules (the model's ValidationExceptionErrorCode). */
export function validationCode(rule: string): string {
  if (rule === 'is required') return 'REQUIRED_FIELD_MISSING';
  if (rule.startsWith('must be one of')) return 'INVALID_ENUM_VALUE';
  if (/at least \d+ items/.test(rule)) return 'NOT_ENOUGH_VALUES';
  if (/at most \d+ items/.test(rule)) return 'TOO_MANY_VALUES';
  if (rule.startsWith('must match') || rule.startsWith('must be a') || rule.includes('characters')) return 'INVALID_STRING_FORMAT';
  return 'INVALID_VALUE';
}

/** A ValidationException naming every field and rule, in the model's own shape, as Partner Central answers a malformed request. */
export function validationException(model: ServiceModel, problems: readonly FieldProblem[], reason: 'REQUEST_VALIDATION_FAILED' | 'BUSINESS_VALIDATION_FAILED'): ServiceError {
  const v = model.validation;
  return model.error('ValidationException', {
    Message: reason === 'REQUEST_VALIDATION_FAILED' ? 'The request does not match the service model.' : 'The request failed business validation.',
    Reason: reason === 'REQUEST_VALIDATION_FAILED' ? v.requestReason : v.businessReason,
    [v.listMember]: problems.map((p) => ({ [v.nameMember]: p.field, Message: p.rule, Code: validationCode(p.rule) })),
  });
}
