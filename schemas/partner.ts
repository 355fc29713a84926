/** A vetted AWS partner that reviews and files ACE records. Seeded from data/partners.json. */
import * as z from 'zod/mini';
import { USE_CASE_KINDS } from './worksheet.ts';

/** Roles a partner may register for API filing: name prefix `AceFilingPartnerCentral` (IAM allows sts:AssumeRole on those only). */
export const PARTNER_FILING_ROLE_PREFIX = 'AceFilingPartnerCentral';
export const PARTNER_FILING_ROLE_ARN = /^arn:aws:iam::\d{12}:role\/AceFilingPartnerCentral[\w+=,.@-]{0,40}$/;

export const PartnerProfile = z.strictObject({
  id: z.string().check(z.regex(/^p-[a-z0-9-]{2,40}$/, 'must look like p-northwind')),
  name: z.string().check(z.minLength(2)),
  tier: z.enum(['Advanced', 'Premier']),
  /** AWS Regions the partner delivers in. */
  regions: z.array(z.string().check(z.regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS Region code'))).check(z.minLength(1)),
  /** Where assignment mails go (lower-case). */
  contactEmail: z.string().check(z.regex(/^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a lower-case email')),
  strengths: z.strictObject({
    /** Model providers as in Bedrock model ids: anthropic, amazon, meta, mistral, cohere, ... */
    modelProviders: z.array(z.string()),
    useCases: z.array(z.enum(USE_CASE_KINDS)),
    services: z.array(z.string()),
  }),
  /** How many applications the partner takes at once. */
  capacity: z.number().check(z.int(), z.gte(0)),
  record: z.strictObject({
    filings: z.number().check(z.int(), z.gte(0)),
    approvalRate: z.number().check(z.gte(0), z.lte(1)),
    medianDaysToCredits: z.number().check(z.gt(0)),
  }),
  active: z.boolean(),
  /**
   * Optional: file through the Partner Central Selling API with a role in the partner's own (Partner Central linked)
   * AWS account. The role's name must start with `AceFilingPartnerCentral` (our functions may assume only such roles),
   * its trust policy must allow our account, with the external id when one is given. `catalog` defaults to the
   * deployment's ACE_CATALOG (Sandbox outside production).
   */
  filing: z.optional(z.strictObject({
    roleArn: z.string().check(z.regex(PARTNER_FILING_ROLE_ARN, 'must be an IAM role ARN whose name starts with AceFilingPartnerCentral')),
    /** Required: the partner's role trusts this service only with it (no confused deputy), and our IAM policy demands it. */
    externalId: z.string().check(z.regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2-1224 characters of [A-Za-z0-9+=,.@:/_-]')),
    catalog: z.optional(z.enum(['AWS', 'Sandbox'])),
    /** The Partner Central solution associated with opportunities submitted through the API, unless a request names one. */
    solutionId: z.optional(z.string().check(z.regex(/^S-[0-9]{1,19}$/, 'must be a Partner Central solution id (S-…)'))),
  })),
});
export type PartnerProfile = z.infer<typeof PartnerProfile>;

export const PartnerFile = z.strictObject({
  asOf: z.string(),
  note: z.string(),
  partners: z.array(PartnerProfile),
});

/** A profile plus its live load, as read from DynamoDB. */
export type PartnerWithLoad = PartnerProfile & { load: number };
