/**
 * What the Partner Central use-case suites share (test/integration/partner-central-{submission,filing,update,access,
 * sync}-steps.test.ts): dynalite and the local Partner Central stand-in in-process (test/support/partner-central-server.ts:
 * the real client adapter, STS AssumeRole and Step Functions' SendTaskSuccess all go to it), one fake time for our
 * clock and the stand-in's (the write gate's waits move both, as real time would), and seeds: a partner with a role,
 * an application whose record was filed through the API with its opportunity at the stand-in.
 *
 * Call startUsecaseHarness() in beforeAll: it sets the endpoints, then imports the modules that read them.
 */
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type { PartnerCentralStore } from '../../functions/adapters/dynamo/partner-central-store.ts';
import type { PartnerRepository } from '../../functions/adapters/dynamo/partners.ts';
import { createApplication } from '../../functions/adapters/dynamo/applications-intake.ts';
import { saveTaskToken } from '../../functions/adapters/dynamo/applications-tasks.ts';
import { upsertPartnerProfile } from '../../functions/adapters/dynamo/partners.ts';
import { draftBriefs } from '../../functions/core/ace/draft.ts';
import type { Clock } from '../../functions/core/clock.ts';
import { newApplication, newFounderToken } from '../../functions/core/intake.ts';
import type { Application, RecordState } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { startDynalite, type TestTable } from './dynalite.ts';
import { exampleWorksheet } from './fixtures.ts';
import { LOCAL_STATE_MACHINE_ARN, startFixtureServer, useLocalPartnerCentral, type FixtureServer } from './partner-central-server.ts';

export const PROGRAM = 'bedrock-poc';
export const STATE_MACHINE_ARN = LOCAL_STATE_MACHINE_ARN;
const START = '2026-12-07T12:00:00.000Z';

export interface UsecaseHarness {
  readonly table: TestTable;
  readonly server: FixtureServer;
  readonly applications: ApplicationRepository;
  readonly partners: PartnerRepository;
  readonly store: PartnerCentralStore;
  /** Our clock: the stand-in's time too. Each sleep (the write gate's wait) is recorded and moves the time. */
  readonly clock: Clock & { sleeps: number[] };
  /** Time passes (a fresh write slot and write budget for the next step). */
  pass(ms: number): void;
  deps(): { applications: ApplicationRepository; partners: PartnerRepository; store: PartnerCentralStore; stateMachineArn: string; defaultCatalog: 'Sandbox'; clock: Clock };
  stop(): Promise<void>;
}

export async function startUsecaseHarness(): Promise<UsecaseHarness> {
  let nowMs = Date.parse(START);
  const table = await startDynalite();
  const server = await startFixtureServer({ now: () => nowMs });
  useLocalPartnerCentral(table, server);
  const { ApplicationRepository } = await import('../../functions/adapters/dynamo/applications.ts');
  const { PartnerRepository } = await import('../../functions/adapters/dynamo/partners.ts');
  const { PartnerCentralStore } = await import('../../functions/adapters/dynamo/partner-central-store.ts');
  const sleeps: number[] = [];
  const clock = {
    sleeps,
    now: () => new Date(nowMs),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      nowMs += ms;
    },
  };
  const h = {
    table, server, clock,
    applications: new ApplicationRepository(table.tableName),
    partners: new PartnerRepository(table.tableName),
    store: new PartnerCentralStore(table.tableName),
    pass: (ms: number) => {
      nowMs += ms;
    },
    deps: () => ({ applications: h.applications, partners: h.partners, store: h.store, stateMachineArn: STATE_MACHINE_ARN, defaultCatalog: 'Sandbox' as const, clock }),
    stop: async () => {
      await server.stop();
      await table.stop();
    },
  };
  return h;
}

export const roleArnOf = (account: string): string => `arn:aws:iam::${account}:role/AceFilingPartnerCentralFiling`;

/** A partner whose role is registered (account `account`); `filing: null` for one without a role. */
export async function seedPartner(h: UsecaseHarness, id: string, account: string, filing: Partial<NonNullable<PartnerProfile['filing']>> | null = {}): Promise<PartnerProfile> {
  const profile: PartnerProfile = {
    id, name: `Partner ${id}`, tier: 'Premier', regions: ['us-east-1'], contactEmail: `${id}@partners.example`,
    strengths: { modelProviders: ['anthropic'], useCases: ['agent'], services: [] }, capacity: 10,
    record: { filings: 10, approvalRate: 0.9, medianDaysToCredits: 12 }, active: true,
    ...(filing === null ? {} : { filing: { roleArn: roleArnOf(account), externalId: `ext-${id}`, ...filing } }),
  };
  await upsertPartnerProfile(h.partners, profile);
  return profile;
}

let appCount = 0;
const nextId = (): string => `app_uc${(appCount += 1)}`;

/** A CreateOpportunity body that passes the submission rules (drafted from the example worksheet, as the workflow does). */
export function draftedBody(applicationId: string, now: Date): Record<string, unknown> {
  const [brief] = draftBriefs(exampleWorksheet(), [{
    programId: PROGRAM, programName: 'Bedrock / GenAI POC funding', filingPath: 'ace', askUsd: '25000.00', coverageMonths: 3,
    monthlySpendByService: [{ service: 'Amazon Bedrock', monthlyUsd: '6150.40' }], rationale: 'A defined GenAI proof of concept.',
  }], { now, catalog: 'Sandbox', applicationId });
  return brief!.body as Record<string, unknown>;
}

/**
 * An application assigned to `partnerId` whose PROGRAM record is `record`, its brief a drafted body, the workflow's
 * aws-decision wait stored (token `token-<id>-1`).
 */
export async function seedApplication(h: UsecaseHarness, partnerId: string, record: RecordState, extra: Partial<Application> = {}, id = nextId()): Promise<Application> {
  const now = h.clock.now();
  const base = newApplication({ id, worksheet: exampleWorksheet(), tokenHash: newFounderToken().hash, now });
  const status = (record.status === 'draft' ? 'in_partner_review' : record.status) as Application['status'];
  const app: Application = {
    ...base, status, version: 2,
    partner: { partnerId, partnerName: partnerId, assignedAt: now.toISOString(), reasons: ['test'] },
    briefs: [{ programId: PROGRAM, body: draftedBody(id, now), problems: [], revision: 1, record }],
    transitions: [...base.transitions, { at: now.toISOString(), actor: { kind: 'partner', id: partnerId }, from: 'submitted', to: status, reason: 'seeded', version: 2 }],
    ...extra,
  };
  await createApplication(h.applications, app);
  await saveTaskToken(h.applications, id, 'aws-decision', `token-${id}-1`, { now, expiresAt: new Date('2099-01-01T00:00:00Z') });
  return app;
}

/**
 * An application whose record was filed through the API (`status`, filed by default) and its opportunity at the
 * stand-in in `account`'s Sandbox catalog, as CreateOpportunity made it: Pending Submission, no solution associated.
 */
export async function seedFiled(h: UsecaseHarness, partnerId: string, account: string, status: RecordState['status'] = 'filed', extra: Partial<Application> = {}): Promise<{ app: Application; opportunityId: string }> {
  const id = nextId();
  const opportunityId = createAtStandIn(h, account, id);
  const app = await seedApplication(h, partnerId, { status, opportunityId, filedAt: h.clock.now().toISOString(), filedVia: 'api' }, extra, id);
  return { app, opportunityId };
}

/** An opportunity at the stand-in in `account`'s Sandbox catalog, drafted for `applicationId` (Pending Submission). */
export function createAtStandIn(h: UsecaseHarness, account: string, applicationId = nextId()): string {
  return String(h.server.standIn.catalog.CreateOpportunity({ accountId: account, roleArn: roleArnOf(account) }, {
    ...draftedBody(applicationId, h.clock.now()), Catalog: 'Sandbox', ClientToken: `seed-${applicationId}`,
  }).Id);
}

/** Partner Central calls of one account (by the access key its role's credentials carry), e.g. 'SubmitOpportunity'. */
export function callsOf(h: UsecaseHarness, account: string, operation?: string): { operation: string; body: Record<string, unknown> }[] {
  const key = h.server.standIn.accessKeyIdFor(roleArnOf(account));
  return h.server.calls
    .filter((c) => c.accessKeyId === key && c.target.startsWith('AWSPartnerCentralSelling.'))
    .map((c) => ({ operation: c.target.split('.')[1] ?? '', body: c.body }))
    .filter((c) => operation === undefined || c.operation === operation);
}

/** The SendTaskSuccess calls for an application's tokens. */
export function callbacksFor(h: UsecaseHarness, id: string): { taskToken: string; output: unknown }[] {
  return h.server.callsOf('AWSStepFunctions.SendTaskSuccess')
    .filter((c) => String(c.body.taskToken).startsWith(`token-${id}-`))
    .map((c) => ({ taskToken: String(c.body.taskToken), output: JSON.parse(String(c.body.output)) as unknown }));
}
