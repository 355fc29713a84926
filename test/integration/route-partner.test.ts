/**
 * Routing an application (functions/usecases/route-partner.ts routePartner) against dynalite: which partner is
 * booked, what is stored (status, reason, assignment, the partner's load and slots), and what a retry, a rival
 * booking, a concurrent change or a failed write leaves. Each case has a table of its own (routing reads the whole
 * partner directory). Runs in the mutate suite (vitest.mutate.config.ts), so StrykerJS sees it; the workflow suites
 * run the same task through Step Functions.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApplicationRepository } from '../../functions/adapters/dynamo/applications.ts';
import type * as Applications from '../../functions/adapters/dynamo/applications.ts';
import type * as Intake from '../../functions/adapters/dynamo/applications-intake.ts';
import type * as Partners from '../../functions/adapters/dynamo/partners.ts';
import type * as Client from '../../functions/adapters/dynamo/client.ts';
import type * as Routing from '../../functions/usecases/route-partner.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { planTransition } from '../../functions/core/application/lifecycle.ts';
import { NotFoundError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application, ApplicationStatus, PartnerAssignment } from '../../schemas/application.ts';
import type { PartnerProfile } from '../../schemas/partner.ts';
import { createTable, startDynalite, type TestTable } from '../support/dynalite.ts';
import { failBefore, throttled } from '../support/dynamo-failures.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

let server: TestTable;
let applicationsModule: typeof Applications;
let intake: typeof Intake;
let partners: typeof Partners;
let client: typeof Client;
let routing: typeof Routing;

beforeAll(async () => {
  server = await startDynalite('route-partner');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = server.endpoint;
  applicationsModule = await import('../../functions/adapters/dynamo/applications.ts');
  intake = await import('../../functions/adapters/dynamo/applications-intake.ts');
  partners = await import('../../functions/adapters/dynamo/partners.ts');
  client = await import('../../functions/adapters/dynamo/client.ts');
  routing = await import('../../functions/usecases/route-partner.ts');
});
afterAll(async () => server?.stop());

const now = new Date('2026-12-07T12:00:00.000Z');
const clock = { now: () => now, sleep: async () => undefined };
const SYSTEM = { kind: 'system', id: 'RoutePartner' } as const;
const FOUNDER = { kind: 'founder', id: 'founder' } as const;

interface World {
  tableName: string;
  applications: ApplicationRepository;
  partnerRepo: Partners.PartnerRepository;
  deps: Routing.RoutingDeps;
}

let tables = 0;
/** A table of the case's own, with the partners given (their load as given: booked for unnamed applications). */
async function world(profiles: Array<Partial<PartnerProfile> & { id: string; load?: number }> = []): Promise<World> {
  const tableName = `route-${(tables += 1)}`;
  await createTable(server.endpoint, tableName);
  const applications = new applicationsModule.ApplicationRepository(tableName);
  const partnerRepo = new partners.PartnerRepository(tableName);
  for (const { load = 0, ...p } of profiles) {
    await partners.upsertPartnerProfile(partnerRepo, profile(p));
    for (let i = 0; i < load; i += 1) expect(await partners.bookPartner(partnerRepo, p.id, `app_other${i}`)).toBe(true);
  }
  return { tableName, applications, partnerRepo, deps: { applications, partners: partnerRepo, clock } };
}

/** A partner in us-east-1 with no strengths this worksheet matches, 80 % approval, 2 slots, changed by `p`. */
function profile(p: Partial<PartnerProfile> & { id: string }): PartnerProfile {
  return {
    name: `Partner ${p.id}`, tier: 'Advanced', regions: ['us-east-1'], contactEmail: 'desk@partner.example',
    strengths: { modelProviders: [], useCases: [], services: [] }, capacity: 2,
    record: { filings: 10, approvalRate: 0.8, medianDaysToCredits: 21 }, active: true, ...p,
  };
}

const BRIEF = { programId: 'bedrock-poc', body: { Project: { Title: 'POC' } }, problems: [], revision: 1 };

/** Stored `drafted` (or the status given) with one brief, and whatever else the case needs. */
async function stored(w: World, extra: Partial<Application> = {}, status: ApplicationStatus = 'drafted'): Promise<Application> {
  const id = `app_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const app: Application = { ...newApplication({ id, worksheet: exampleWorksheet(), tokenHash: 'h'.repeat(64), now }), status, briefs: [BRIEF], ...extra };
  expect(await intake.createApplication(w.applications, app)).toBe(true);
  return w.applications.mustGet(id);
}

const assignment = (partnerId: string): PartnerAssignment => ({ partnerId, partnerName: `Partner ${partnerId}`, assignedAt: '2026-12-01T00:00:00.000Z', reasons: ['earlier'] });

/** An application repository whose first `mustGet` returns what it read only after `rival` ran (a concurrent writer). */
function racing(w: World, rival: () => Promise<unknown>): ApplicationRepository {
  let raced = false;
  const repo = Object.create(w.applications) as ApplicationRepository;
  repo.mustGet = async (id: string) => {
    const read = await w.applications.mustGet(id);
    if (!raced) {
      raced = true;
      await rival();
    }
    return read;
  };
  return repo;
}

async function withdraw(w: World, id: string): Promise<void> {
  const app = await w.applications.mustGet(id);
  await applicationsModule.applyTransition(w.applications, app, planTransition({ current: app.status, version: app.version, to: 'withdrawn', actor: FOUNDER, now, reason: 'founder withdrew' }));
}

const lastReason = (app: Application) => app.transitions.at(-1)?.reason;

describe('an application no longer drafted (a retry after the write, or a change meanwhile)', () => {
  it('reports the assignment that is there and writes nothing', async () => {
    const w = await world([{ id: 'p-a' }]);
    const routed = await stored(w, { partner: assignment('p-held') }, 'routed');
    expect(await routing.routePartner(w.deps, routed.id, SYSTEM)).toEqual({ applicationId: routed.id, routed: true, partnerId: 'p-held' });
    expect((await w.applications.mustGet(routed.id)).version).toBe(routed.version);
    expect((await w.partnerRepo.get('p-a'))?.load).toBe(0);
  });

  it('an unrouted application is not routed even with a partner recorded; one without a partner is not routed either', async () => {
    const w = await world([{ id: 'p-a' }]);
    const unrouted = await stored(w, { partner: assignment('p-held') }, 'unrouted');
    expect(await routing.routePartner(w.deps, unrouted.id, SYSTEM)).toEqual({ applicationId: unrouted.id, routed: false, partnerId: 'p-held' });
    const withdrawn = await stored(w, {}, 'withdrawn');
    expect(await routing.routePartner(w.deps, withdrawn.id, SYSTEM)).toEqual({ applicationId: withdrawn.id, routed: false, partnerId: null });
    expect((await w.partnerRepo.get('p-a'))?.load).toBe(0);
  });
});

describe('nothing to file through ACE (no briefs)', () => {
  it('goes to the operations queue with the reason, the revision\'s partner slot given back and the assignment removed', async () => {
    const w = await world([{ id: 'p-held' }]);
    const app = await stored(w, { briefs: [], partner: assignment('p-held') });
    expect(await partners.bookPartner(w.partnerRepo, 'p-held', app.id)).toBe(true);
    expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: null });
    const after = await w.applications.mustGet(app.id);
    expect(after.status).toBe('unrouted');
    expect(after.partner).toBeUndefined();
    expect(after.transitions.at(-1)).toMatchObject({ from: 'drafted', to: 'unrouted', actor: SYSTEM, at: now.toISOString() });
    expect(lastReason(after)).toBe('nothing to file through ACE: no partner-filed program fits this worksheet (see the estimate\'s programs and reasons)');
    expect((await w.partnerRepo.get('p-held'))?.load).toBe(0);
  });

  it('an application stored without briefs at all goes the same way, books nobody and releases nothing', async () => {
    const w = await world([{ id: 'p-a', load: 1 }]);
    const app = await stored(w, { briefs: undefined });
    expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: null });
    expect((await w.applications.mustGet(app.id)).status).toBe('unrouted');
    expect((await w.partnerRepo.get('p-a'))?.load).toBe(1);
  });

  it('withdrawn meanwhile: answers not routed and keeps the slot (the withdrawal releases it)', async () => {
    const w = await world([{ id: 'p-held' }]);
    const app = await stored(w, { briefs: [], partner: assignment('p-held') });
    expect(await partners.bookPartner(w.partnerRepo, 'p-held', app.id)).toBe(true);
    const deps = { ...w.deps, applications: racing(w, () => withdraw(w, app.id)) };
    expect(await routing.routePartner(deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: null });
    expect((await w.applications.mustGet(app.id)).status).toBe('withdrawn');
    expect((await w.partnerRepo.get('p-held'))?.load).toBe(1);
  });

  it('a write that fails for another reason is passed on', async () => {
    const w = await world([{ id: 'p-held' }]);
    const app = await stored(w, { briefs: [], partner: assignment('p-held') });
    expect(await partners.bookPartner(w.partnerRepo, 'p-held', app.id)).toBe(true);
    const undo = failBefore(client.documentClient, 'UpdateItemCommand', throttled, { times: 5 });
    try {
      await expect(routing.routePartner(w.deps, app.id, SYSTEM)).rejects.toThrow(/throughput/);
    } finally {
      undo();
    }
    expect((await w.applications.mustGet(app.id)).status).toBe('drafted');
    expect((await w.partnerRepo.get('p-held'))?.load).toBe(1);
  });
});

describe('back from a change request', () => {
  it('goes back to the partner who asked, without ranking or booking again', async () => {
    // p-best would rank first; the revision still goes to p-held, whose slot it holds.
    const w = await world([{ id: 'p-held' }, { id: 'p-best', tier: 'Premier', record: { filings: 90, approvalRate: 1, medianDaysToCredits: 5 } }]);
    const held = { ...assignment('p-held'), partnerName: 'Held & Co' };
    const app = await stored(w, { partner: held });
    expect(await partners.bookPartner(w.partnerRepo, 'p-held', app.id)).toBe(true);
    expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: true, partnerId: 'p-held' });
    const after = await w.applications.mustGet(app.id);
    expect(after).toMatchObject({ status: 'routed', partner: held });
    expect(after.transitions.at(-1)).toMatchObject({ from: 'drafted', to: 'routed', actor: SYSTEM, at: now.toISOString(), reason: 'back to Held & Co with the revised worksheet' });
    expect((await w.partnerRepo.get('p-held'))?.load).toBe(1);
    expect((await w.partnerRepo.get('p-best'))?.load).toBe(0);
  });

  it('a recorded partner who passed on it is ranked again like any other (and not chosen)', async () => {
    const w = await world([{ id: 'p-held', tier: 'Premier' }, { id: 'p-next' }]);
    const app = await stored(w, { partner: assignment('p-held'), passedOverBy: ['p-held'] });
    expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: true, partnerId: 'p-next' });
    expect((await w.applications.mustGet(app.id)).partner?.partnerId).toBe('p-next');
  });

  it('withdrawn meanwhile: reports what is there (not routed, the partner still recorded)', async () => {
    const w = await world([{ id: 'p-held' }]);
    const app = await stored(w, { partner: assignment('p-held') });
    const deps = { ...w.deps, applications: racing(w, () => withdraw(w, app.id)) };
    expect(await routing.routePartner(deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: 'p-held' });
  });

  it('routed meanwhile by a retried routing: reports it routed', async () => {
    const w = await world([{ id: 'p-held' }]);
    const app = await stored(w, { partner: assignment('p-held') });
    const deps = { ...w.deps, applications: racing(w, () => routing.routePartner(w.deps, app.id, SYSTEM)) };
    expect(await routing.routePartner(deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: true, partnerId: 'p-held' });
    expect((await w.applications.mustGet(app.id)).transitions.filter((t) => t.to === 'routed')).toHaveLength(1);
  });

  it('withdrawn meanwhile with no partner left on it: reports no partner', async () => {
    const w = await world([{ id: 'p-held' }]);
    const app = await stored(w, { partner: assignment('p-held') });
    const rival = async () => {
      const current = await w.applications.mustGet(app.id);
      await applicationsModule.applyTransition(w.applications, current, planTransition({ current: 'drafted', version: current.version, to: 'withdrawn', actor: FOUNDER, now, reason: 'withdrawn' }), { partner: undefined });
    };
    const deps = { ...w.deps, applications: racing(w, rival) };
    expect(await routing.routePartner(deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: null });
  });

  it('a write that fails for another reason is passed on', async () => {
    const w = await world([{ id: 'p-held' }]);
    const app = await stored(w, { partner: assignment('p-held') });
    const undo = failBefore(client.documentClient, 'UpdateItemCommand', throttled, { times: 5 });
    try {
      await expect(routing.routePartner(w.deps, app.id, SYSTEM)).rejects.toThrow(/throughput/);
    } finally {
      undo();
    }
    expect((await w.applications.mustGet(app.id)).status).toBe('drafted');
  });
});

describe('ranking and booking', () => {
  it('books the best-ranked partner and records the assignment with the ranking\'s reasons', async () => {
    const w = await world([
      { id: 'p-good' },
      { id: 'p-best', name: 'Best Partners', tier: 'Premier', capacity: 4, load: 1, record: { filings: 30, approvalRate: 0.9, medianDaysToCredits: 11 } },
      { id: 'p-far', regions: ['eu-west-1'], tier: 'Premier' },
    ]);
    const app = await stored(w);
    const info = vi.spyOn(logger, 'info');
    try {
      expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: true, partnerId: 'p-best' });
      // Premier 2 + approval 4 × 0.9 + free share 2 × 3/4 + speed 0.1 × (21 − 11) days.
      expect(info).toHaveBeenCalledWith('Partner booked', { partnerId: 'p-best', score: 8.1 });
    } finally {
      info.mockRestore();
    }
    const reasons = ['delivers in us-east-1', 'Premier tier', '90% approval over 30 filings, median 11 days to credits', '3 of 4 review slots free'];
    const after = await w.applications.mustGet(app.id);
    expect(after.status).toBe('routed');
    expect(after.partner).toEqual({ partnerId: 'p-best', partnerName: 'Best Partners', assignedAt: now.toISOString(), reasons });
    expect(after.transitions.at(-1)).toMatchObject({ from: 'drafted', to: 'routed', actor: SYSTEM, at: now.toISOString(), reason: `routed to Best Partners: ${reasons.join('; ')}` });
    expect((await w.partnerRepo.get('p-best'))?.load).toBe(2);
    expect((await w.partnerRepo.get('p-good'))?.load).toBe(0);
  });

  it('a partner filled up since the directory was read is skipped for the next one', async () => {
    const w = await world([{ id: 'p-best', tier: 'Premier', capacity: 1 }, { id: 'p-next' }]);
    const app = await stored(w);
    // The rival takes p-best's last slot between this routing's read of the directory and its booking.
    const undo = beforeFirst('UpdateItemCommand', () => partners.bookPartner(w.partnerRepo, 'p-best', 'app_rival'));
    try {
      expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: true, partnerId: 'p-next' });
    } finally {
      undo();
    }
    expect((await w.applications.mustGet(app.id)).partner?.partnerId).toBe('p-next');
    expect((await w.partnerRepo.get('p-best'))?.load).toBe(1);
    expect((await w.partnerRepo.get('p-next'))?.load).toBe(1);
  });

  it('every candidate filled up meanwhile: unrouted, the ranking having excluded nobody', async () => {
    const w = await world([{ id: 'p-only', capacity: 1 }]);
    const app = await stored(w);
    const undo = beforeFirst('UpdateItemCommand', () => partners.bookPartner(w.partnerRepo, 'p-only', 'app_rival'));
    try {
      expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: null });
    } finally {
      undo();
    }
    const after = await w.applications.mustGet(app.id);
    expect(after.status).toBe('unrouted');
    expect(lastReason(after)).toBe('no partner could take it (no partners on file)');
  });

  it('no partner can take it: unrouted, with each partner\'s reason', async () => {
    const w = await world([
      { id: 'p-full', capacity: 1, load: 1 },
      { id: 'p-off', active: false },
      { id: 'p-passed' },
    ]);
    const app = await stored(w, { passedOverBy: ['p-passed'] });
    expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: null });
    const after = await w.applications.mustGet(app.id);
    expect(after).toMatchObject({ status: 'unrouted' });
    expect(after.partner).toBeUndefined();
    expect(after.transitions.at(-1)).toMatchObject({ from: 'drafted', to: 'unrouted', actor: SYSTEM, at: now.toISOString() });
    expect(lastReason(after)).toBe('no partner could take it (p-full: at capacity (1/1); p-off: not active; p-passed: already declined or timed out on this application)');
  });

  it('no partners on file: unrouted, saying so', async () => {
    const w = await world();
    const app = await stored(w);
    expect(await routing.routePartner(w.deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: null });
    expect(lastReason(await w.applications.mustGet(app.id))).toBe('no partner could take it (no partners on file)');
  });

  it('withdrawn between the read and the write: the slot it booked is given back', async () => {
    const w = await world([{ id: 'p-a' }]);
    const app = await stored(w);
    const deps = { ...w.deps, applications: racing(w, () => withdraw(w, app.id)) };
    expect(await routing.routePartner(deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: false, partnerId: null });
    expect((await w.applications.mustGet(app.id)).status).toBe('withdrawn');
    expect((await w.partnerRepo.get('p-a'))?.load).toBe(0);
  });

  it('routed meanwhile to the same partner by a retried routing: that slot is kept and the routing reported', async () => {
    const w = await world([{ id: 'p-a' }]);
    const app = await stored(w);
    const deps = { ...w.deps, applications: racing(w, () => routing.routePartner(w.deps, app.id, SYSTEM)) };
    expect(await routing.routePartner(deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: true, partnerId: 'p-a' });
    expect((await w.partnerRepo.get('p-a'))?.load).toBe(1);
    expect((await w.applications.mustGet(app.id)).transitions.filter((t) => t.to === 'routed')).toHaveLength(1);
  });

  it('routed meanwhile to another partner: this one\'s slot is given back and the other reported', async () => {
    const w = await world([{ id: 'p-a', tier: 'Premier' }, { id: 'p-b' }]);
    const app = await stored(w);
    // A rival (an operator's reassignment, say) books p-b for it and routes it first; this routing, ranking on its
    // stale read, books p-a.
    const rival = async () => {
      const current = await w.applications.mustGet(app.id);
      expect(await partners.bookPartner(w.partnerRepo, 'p-b', app.id)).toBe(true);
      await applicationsModule.applyTransition(w.applications, current, planTransition({ current: 'drafted', version: current.version, to: 'routed', actor: SYSTEM, now, reason: 'rival' }), { partner: assignment('p-b') });
    };
    const deps = { ...w.deps, applications: racing(w, rival) };
    expect(await routing.routePartner(deps, app.id, SYSTEM)).toEqual({ applicationId: app.id, routed: true, partnerId: 'p-b' });
    expect((await w.partnerRepo.get('p-a'))?.load).toBe(0);
    expect((await w.partnerRepo.get('p-b'))?.load).toBe(1);
  });

  it('deleted between the read and the write: the slot is given back and the conflict passed on', async () => {
    const w = await world([{ id: 'p-a' }]);
    const app = await stored(w);
    const rival = () => client.documentClient.send(new DeleteCommand({ TableName: w.tableName, Key: { pk: `APP#${app.id}`, sk: 'APP' } }));
    const deps = { ...w.deps, applications: racing(w, rival) };
    await expect(routing.routePartner(deps, app.id, SYSTEM)).rejects.toThrow(NotFoundError);
    expect((await w.partnerRepo.get('p-a'))?.load).toBe(0);
  });

  it('a write that fails for another reason gives the slot back and is passed on', async () => {
    const w = await world([{ id: 'p-a' }]);
    const app = await stored(w);
    // The booking (the first UpdateItem) goes through; the transition's write is throttled.
    const undo = failBefore(client.documentClient, 'UpdateItemCommand', throttled, { skip: 1 });
    try {
      await expect(routing.routePartner(w.deps, app.id, SYSTEM)).rejects.toThrow(/throughput/);
    } finally {
      undo();
    }
    expect((await w.applications.mustGet(app.id)).status).toBe('drafted');
    expect((await w.partnerRepo.get('p-a'))?.load).toBe(0);
  });
});

/** Runs `action` once, just before the next send of `command` leaves the document client (a rival's write). */
function beforeFirst(command: string, action: () => Promise<unknown>): () => void {
  let done = false;
  const name = `before-${command}-${Math.random()}`;
  client.documentClient.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === command && !done) {
      done = true;
      await action();
    }
    return next(args);
  }, { step: 'initialize', name });
  return () => client.documentClient.middlewareStack.remove(name);
}

