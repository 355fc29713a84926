/**
 * Intake rules beyond the worksheet's shape: what must hold before an application is stored, and how
 * its identity and access token are derived. Pure: hashing comes from node:crypto, not from AWS.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FieldProblem } from '../../schemas/issues.ts';
import type { Application } from '../../schemas/application.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { contextWindowProblem, resolveCatalogModel, UnknownModelError } from './model-catalog.ts';
import { worksheetAddressProblems } from './ace/address.ts';

/**
 * Rules beyond the schema, all reported at once: every model id must be on the rate card (with the
 * closest known ids suggested), every request must fit each chosen model's context window (input + output), and
 * the address must satisfy ACE's country, postal code and state rules.
 */
export function worksheetDomainProblems(worksheet: Worksheet): FieldProblem[] {
  const problems: FieldProblem[] = worksheetAddressProblems(worksheet.company.address);
  worksheet.workload.models.forEach((m, i) => {
    try {
      const model = resolveCatalogModel(m.modelId, { field: `workload.models[${i}].modelId` });
      const tooLong = contextWindowProblem(model, worksheet.workload);
      if (tooLong) problems.push(tooLong);
    } catch (error) {
      if (error instanceof UnknownModelError) problems.push(error.toFieldProblem());
      else throw error;
    }
  });
  return problems;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Whose Idempotency-Key it is: a key is only ever compared with keys of the same founder address and AWS account. */
export interface IdempotencyScope {
  readonly email: string;
  readonly accountId: string;
}

export function idempotencyScopeOf(worksheet: Worksheet): IdempotencyScope {
  return { email: worksheet.contact.email, accountId: worksheet.aws.accountId };
}

/**
 * With an Idempotency-Key the id is derived from it AND its scope (the founder's address and AWS account), so a
 * repeated request lands on the same item and its conditional put fails harmlessly, while another client choosing the
 * same key lands elsewhere; without a key, a random id.
 */
export function applicationIdFor(idempotencyKey: string | undefined, scope: IdempotencyScope): string {
  return idempotencyKey
    ? `app_${sha256(`idempotency:v2:${canonicalJson([scope.email, scope.accountId, idempotencyKey])}`).slice(0, 24)}`
    : `app_${randomBytes(12).toString('hex')}`;
}

/** JSON with object keys sorted at every level: the same value gives the same text whatever order its keys came in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Canonical hash of a parsed worksheet: independent of the order of keys in the request. */
export function requestHashOf(worksheet: Worksheet): string {
  return sha256(canonicalJson(worksheet));
}

/** A founder access token: 256 random bits; only its hash is ever stored. */
export function newFounderToken(): { token: string; hash: string } {
  const token = `aft_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashFounderToken(token) };
}

export function hashFounderToken(token: string): string {
  return sha256(`founder-token:v1:${token}`);
}

export function founderTokenMatches(app: Pick<Application, 'founderTokenHashes'>, token: string): boolean {
  const candidate = Buffer.from(hashFounderToken(token), 'hex');
  return app.founderTokenHashes.some((h) => {
    const stored = Buffer.from(h, 'hex');
    return stored.length === candidate.length && timingSafeEqual(stored, candidate);
  });
}

export function newApplication(args: { id: string; worksheet: Worksheet; tokenHash: string; now: Date }): Application {
  const at = args.now.toISOString();
  return {
    id: args.id,
    status: 'submitted',
    version: 1,
    createdAt: at,
    updatedAt: at,
    worksheet: args.worksheet,
    requestHash: requestHashOf(args.worksheet),
    founderTokenHashes: [args.tokenHash],
    // Nothing is routed before the founder confirms the address (functions/core/address-confirmation.ts).
    addressConfirmation: { requested: 1, sent: 0 },
    transitions: [{ at, actor: { kind: 'founder', id: 'founder' }, from: null, to: 'submitted', reason: 'worksheet submitted', version: 1 }],
  };
}
