/**
 * The Partner Central `CreateOpportunity` request body and a drafted brief. The body schema is generated from the
 * service model (schemas/ace-opportunity.generated.ts, `npm run gen:ace`), so its type cannot drift from the model
 * the validator walks. It is structural only: `functions/core/ace/validate.ts` adds the submission rules.
 */
import * as z from 'zod/mini';
import { FieldProblem } from './issues.ts';
import { ProgramId } from './estimate.ts';
import { CreateOpportunityRequestShape } from './ace-opportunity.generated.ts';

export const CreateOpportunityBody = CreateOpportunityRequestShape;
export type CreateOpportunityBody = z.infer<typeof CreateOpportunityBody>;

export const AceCatalog = z.enum(['AWS', 'Sandbox']);
export type AceCatalog = z.infer<typeof AceCatalog>;

/** One drafted ACE record: the exact body to send, and what the validator found wrong with it (empty = fileable). */
export const DraftedBrief = z.object({
  programId: ProgramId,
  body: CreateOpportunityBody,
  problems: z.array(FieldProblem),
});
export type DraftedBrief = z.infer<typeof DraftedBrief>;
