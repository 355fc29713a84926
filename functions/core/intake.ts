/**
 * Intake rules beyond the worksheet's shape: what must hold before an application is stored, and how
 * its identity and access token are derived. Pure: hashing comes from node:crypto, not from AWS.
 */
import { randomBytes } from 'node:crypto';
import type { FieldProblem } from '../../schemas/issues.ts';
import type { Application } from '../../schemas/application.ts';
import type { Worksheet } from '../../schemas/worksheet.ts';
import { contextWindowProblem, resolveCatalogModel, UnknownModelError } from './model-catalog.ts';
import { worksheetAddressProblems } from './ace/address.ts';
import { canonicalJson, requestHashOf, sha256 } from './intake-hashes.ts';

// The hashes and the founder token live in ./intake-hashes.ts (no rate card, no ACE data: the founder's routes use them).
export { canonicalJson, founderTokenMatches, hashFounderToken, newFounderToken, requestHashOf } from './intake-hashes.ts';

/**
 * Rules beyond the schema, all reported at once: every model id must be on the rate card (with the
 * closest known ids suggested), every request must fit each chosen model's context window (input + output), and
 * the address must satisfy ACE's country, postal code and state rules.
 */
export function worksheetDomainProblems(worksheet: Worksheet): FieldProblem[] {
  const problems: FieldProblem[] = worksheetAddressProblems(worksheet.company.address);
  // One model under two routings (`acme.big`, `us.acme.big`) is one model: the estimate plans per model.
  const firstListed = new Map<string, number>();
  worksheet.workload.models.forEach((m, i) => {
    try {
      const model = resolveCatalogModel(m.modelId, { field: `workload.models[${i}].modelId` });
      const first = firstListed.get(model.modelId);
      if (first === undefined) firstListed.set(model.modelId, i);
      else problems.push({ field: `workload.models[${i}].modelId`, rule: `names the same model as workload.models[${first}].modelId (${model.modelId}): list each model once, under the routing it uses` });
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
