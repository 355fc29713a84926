/** The pure rules of the human steps: merge patch, edit rules, duplicate keys, convergence of repeated decisions. */
import { describe, expect, it } from 'vitest';
import { applyMergePatch, changedPaths, editProblems } from '../../functions/core/ace/edit.ts';
import { dedupeValues, normaliseCompany, normaliseDomain, sharedKeys } from '../../functions/core/dedupe.ts';
import {
  closingReviewDecision, creditsProblems, creditsWarnings, planApproval, planBriefEdit, planPartnerDecision, planPartnerReply, planRecordChange,
} from '../../functions/core/application/review.ts';
import { clientToken, draftBriefs } from '../../functions/core/ace/draft.ts';
import { estimate } from '../../functions/core/estimate.ts';
import { planRevision, planWithdraw } from '../../functions/core/application/founder-steps.ts';
import { etagOf } from '../../functions/core/application/etag.ts';
import {
  ConflictError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, UnprocessableError, ValidationError,
} from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application, RecordState, StoredBrief, Transition } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const NOW = new Date('2026-12-01T12:00:00Z');

describe('JSON Merge Patch (RFC 7396)', () => {
  // The examples of RFC 7396 Appendix A.
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(cases)('%j + %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('does not mutate the target', () => {
    const target = { a: { b: 1 } };
    applyMergePatch(target, { a: { b: 2 } });
    expect(target).toEqual({ a: { b: 1 } });
  });
});

describe('edit rules', () => {
  const body = {
    Catalog: 'Sandbox', ClientToken: 't',
    Customer: { Account: { CompanyName: 'X', WebsiteUrl: 'https://x.io', Address: { City: 'A' } } },
    Project: { Title: 'T', ExpectedCustomerSpend: [{ Amount: '10.00', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' }] },
  };

  it('lists changed leaves; a list whose length changes is one path', () => {
    const after = applyMergePatch(body, { Project: { Title: 'U', ExpectedCustomerSpend: [] } });
    expect(changedPaths(body, after)).toEqual(['Project.ExpectedCustomerSpend', 'Project.Title']);
  });

  it('in Action Required allows only the fields ACE lets a partner change', () => {
    const after = applyMergePatch(body, {
      Customer: { Account: { WebsiteUrl: 'https://y.io', CompanyName: 'Y', Address: { City: 'B' } } },
      Project: { ExpectedCustomerSpend: [{ Amount: '20.00', CurrencyCode: 'EUR', Frequency: 'Monthly', TargetCompany: 'AWS' }] },
    });
    expect(editProblems(body, after, 'action_required')).toEqual([
      { field: 'Customer.Account.CompanyName', rule: expect.stringMatching(/^cannot be changed while the record is in Action Required/) },
    ]);
    expect(editProblems(body, after, 'draft')).toEqual([]);
  });

  it('never lets a partner set Catalog or ClientToken', () => {
    const after = applyMergePatch(body, { ClientToken: null, Catalog: 'AWS' });
    expect(editProblems(body, after, 'draft').map((p) => p.field)).toEqual(['Catalog', 'ClientToken']);
  });

  it('ETags change with the body and the revision, not with key order', () => {
    const brief = { programId: 'p', body: { a: 1, b: { c: 2, d: 3 } }, problems: [], revision: 1 };
    expect(etagOf(brief)).toBe(etagOf({ ...brief, body: { b: { d: 3, c: 2 }, a: 1 } }));
    expect(etagOf(brief)).not.toBe(etagOf({ ...brief, revision: 2 }));
    expect(etagOf(brief)).not.toBe(etagOf({ ...brief, body: { a: 2, b: { c: 2, d: 3 } } }));
  });
});

describe('likely duplicates', () => {
  it('normalises domains and company names', () => {
    expect(normaliseDomain('https://WWW.Ledgerly.ai/about?x=1')).toBe('ledgerly.ai');
    expect(normaliseDomain('ledgerly.ai')).toBe('ledgerly.ai');
    expect(normaliseDomain('not a url')).toBeUndefined();
    expect(normaliseCompany('Ledgerly Labs, Inc.')).toBe('ledgerly labs');
    expect(normaliseCompany('  Société Générale S.A. ')).toBe('societe generale');
    expect(normaliseCompany('Ben & Jerry’s LLC')).toBe('ben and jerrys');
  });

  it('compares worksheets on account, domain and company', () => {
    const a = exampleWorksheet();
    expect(dedupeValues(a).map((v) => v.kind)).toEqual(['account', 'domain', 'company']);
    const b = { ...a, company: { ...a.company, name: 'Other Co', website: 'https://www.ledgerly.ai' }, aws: { ...a.aws, accountId: '999999999999' } };
    expect(sharedKeys(a, b)).toEqual(['domain']);
  });

  it('reads a domain only from a scheme at the start, strips only a leading www. and a trailing dot, and needs a dot', () => {
    // "://" later in the text is not a scheme: the site is ledgerly.ai.
    expect(normaliseDomain('ledgerly.ai/go?to=https://elsewhere.example')).toBe('ledgerly.ai');
    expect(normaliseDomain('HTTP://Ledgerly.AI')).toBe('ledgerly.ai');
    expect(normaliseDomain('https://awww.studio')).toBe('awww.studio');
    expect(normaliseDomain('https://shop.www.example.com/')).toBe('shop.www.example.com');
    expect(normaliseDomain('https://www.ledgerly.ai./')).toBe('ledgerly.ai');
    expect(normaliseDomain('http://localhost:3000')).toBeUndefined();
    expect(normaliseDomain('intranet')).toBeUndefined();
  });

  it('keeps a name that is only a legal form, and drops stacked legal forms and stray punctuation', () => {
    expect(normaliseCompany('Inc.')).toBe('inc');
    expect(normaliseCompany('The Company')).toBe('the');
    expect(normaliseCompany('Acme Holdings Pty Ltd')).toBe('acme holdings');
    expect(normaliseCompany(' -- Acme -- Co. ')).toBe('acme');
    expect(normaliseCompany('Яндекс')).toBe('');
  });

  it('indexes no domain for a website that is not a URL and no company for a name with no Latin letters or digits', () => {
    const w = exampleWorksheet();
    w.company.website = 'coming soon';
    w.company.name = 'Яндекс';
    expect(dedupeValues(w)).toEqual([{ kind: 'account', value: w.aws.accountId }]);
    const v = exampleWorksheet();
    expect(dedupeValues(v)).toEqual([
      { kind: 'account', value: v.aws.accountId },
      { kind: 'domain', value: 'ledgerly.ai' },
      { kind: 'company', value: 'ledgerly labs' },
    ]);
  });
});

function inReview(partnerId = 'p-a'): Application {
  const base = newApplication({ id: 'app_u', worksheet: exampleWorksheet(), tokenHash: 'h', now: NOW });
  const t = (from: Transition['from'], to: Transition['to'], version: number): Transition => ({ at: NOW.toISOString(), actor: { kind: 'system', id: 'x' }, from, to, reason: '', version });
  return {
    ...base,
    status: 'in_partner_review',
    version: 5,
    partner: { partnerId, partnerName: 'A', assignedAt: NOW.toISOString(), reasons: [] },
    briefs: [],
    transitions: [...base.transitions, t('submitted', 'sized', 2), t('sized', 'drafted', 3), t('drafted', 'routed', 4), t('routed', 'in_partner_review', 5)],
  };
}

function applied(app: Application, command: ReturnType<typeof planPartnerDecision>): Application {
  if (command.kind !== 'apply') throw new Error('expected apply');
  const t = command.plan.transition;
  return { ...app, ...command.changes, status: t.to, version: t.version, transitions: [...app.transitions, t] };
}

describe('partner decisions converge', () => {
  it('a repeated decision by the same partner is a replay of the recorded transition, with the same effects', () => {
    const app = inReview();
    const first = planPartnerDecision({ app, partnerId: 'p-a', decision: 'declined', text: 'no capacity', now: NOW });
    expect(first).toMatchObject({ kind: 'apply', effects: { releaseSlotOf: 'p-a', callback: { kinds: ['partner-review'], output: { decision: 'declined' } } } });
    const after = applied(app, first);
    expect(after.partner).toBeUndefined();
    const again = planPartnerDecision({ app: after, partnerId: 'p-a', decision: 'declined', now: NOW });
    expect(again).toMatchObject({ kind: 'replay', transition: { to: 'drafted', actor: { id: 'p-a' } }, effects: first.effects });
    expect(closingReviewDecision(after)?.to).toBe('drafted');
  });

  it('a different decision, or another partner, is refused; a new review round ends the replay window', () => {
    const app = inReview();
    const after = applied(app, planPartnerDecision({ app, partnerId: 'p-a', decision: 'changes_requested', text: 'please fix', now: NOW }));
    expect(() => planPartnerDecision({ app: after, partnerId: 'p-a', decision: 'approved', now: NOW })).toThrow(ConflictError);
    expect(() => planPartnerDecision({ app: after, partnerId: 'p-b', decision: 'changes_requested', now: NOW })).toThrow(NotFoundError);
    const newRound: Application = { ...after, status: 'routed', transitions: [...after.transitions, { ...after.transitions.at(-1)!, from: 'drafted', to: 'routed' }] };
    expect(closingReviewDecision(newRound)).toBeUndefined();
  });

  it('a founder revision replays only while no new change request is open', () => {
    const app = applied(inReview(), planPartnerDecision({ app: inReview(), partnerId: 'p-a', decision: 'changes_requested', text: 'please fix', now: NOW }));
    const ws = exampleWorksheet();
    const revision = planRevision({ app, worksheet: ws, requestHash: 'h2', now: NOW });
    expect(revision.kind).toBe('apply');
    if (revision.kind !== 'apply') return;
    const revised: Application = { ...app, ...revision.changes, status: 'submitted', version: revision.plan.transition.version, transitions: [...app.transitions, revision.plan.transition] };
    expect(planRevision({ app: revised, worksheet: ws, requestHash: 'h2', now: NOW }).kind).toBe('replay');
    expect(() => planRevision({ app: revised, worksheet: ws, requestHash: 'h3', now: NOW })).toThrow(ConflictError);
  });

  it('withdrawal replays once withdrawn and frees the held slot', () => {
    const app = inReview();
    const first = planWithdraw({ app, now: NOW });
    expect(first).toMatchObject({ kind: 'apply', effects: { releaseSlotOf: 'p-a', stopExecution: { error: 'Withdrawn' } } });
    if (first.kind !== 'apply') return;
    const withdrawn: Application = { ...app, status: 'withdrawn', transitions: [...app.transitions, first.plan.transition] };
    expect(planWithdraw({ app: withdrawn, now: NOW })).toMatchObject({ kind: 'replay', transition: { to: 'withdrawn' } });
  });

  it('record changes: the same opportunity id replays, another is a conflict', () => {
    const app: Application = {
      ...inReview(), status: 'filed',
      briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'filed', opportunityId: 'O1' } }],
    };
    expect(planRecordChange({ app, programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'filed', opportunityId: 'O1', filedAt: '' }, now: NOW }).kind).toBe('replay');
    expect(() => planRecordChange({ app, programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'filed', opportunityId: 'O2', filedAt: '' }, now: NOW })).toThrow(ConflictError);
    expect(() => planRecordChange({ app, programId: 'bedrock-poc', partnerId: 'p-b', change: { kind: 'filed', opportunityId: 'O1', filedAt: '' }, now: NOW })).toThrow(NotFoundError);
  });
});

describe('credits recorded by the partner', () => {
  const now = new Date('2026-11-29T23:30:00Z');

  it('are refused when they would expire at once or were applied in the future (UTC days)', () => {
    expect(creditsProblems({ appliedOn: '2026-11-01', expiresOn: '2027-11-01' }, now)).toEqual([]);
    expect(creditsProblems({ appliedOn: '2026-11-29', expiresOn: '2026-11-30' }, now)).toEqual([]);
    expect(creditsProblems({ appliedOn: '2026-11-01', expiresOn: '2026-11-01' }, now)).toEqual([{ field: 'expiresOn', rule: 'must be after appliedOn (2026-11-01)' }]);
    expect(creditsProblems({ appliedOn: '2026-10-01', expiresOn: '2026-11-28' }, now)).toEqual([{ field: 'expiresOn', rule: 'must not be in the past (today is 2026-11-29)' }]);
    expect(creditsProblems({ appliedOn: '2026-11-30', expiresOn: '2027-01-01' }, now)).toEqual([{ field: 'appliedOn', rule: 'must not be in the future (today is 2026-11-29)' }]);
    // Expiring today is still usable today.
    expect(creditsProblems({ appliedOn: '2026-10-01', expiresOn: '2026-11-29' }, now)).toEqual([]);
  });

  it('carry a warning where they differ from what AWS approved, and none where they match or nothing was approved', () => {
    const record = { status: 'approved' as const, award: { amountUsd: '25000.00', expiresOn: '2027-12-31' } };
    expect(creditsWarnings(record, { amountUsd: '25000', expiresOn: '2027-12-31' })).toEqual([]);
    expect(creditsWarnings(record, { amountUsd: '20000.00', expiresOn: '2027-06-30' })).toEqual([
      { field: 'amountUsd', rule: 'differs from the $25000.00 AWS approved' },
      { field: 'expiresOn', rule: 'differs from the expiry AWS approved (2027-12-31)' },
    ]);
    expect(creditsWarnings({ status: 'approved' }, { amountUsd: '1.00', expiresOn: '2027-01-01' })).toEqual([]);
  });
});

describe('a review decision that is not possible now', () => {
  it('answers 409 saying what the partner tried and why, without internal target states', () => {
    const app = { ...newApplication({ id: 'app_409', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') }), partner: { partnerId: 'p-a', partnerName: 'A', assignedAt: '2026-11-27T00:00:00Z' } } as Application;
    const decide = (status: Application['status'], decision: 'approved' | 'changes_requested' | 'declined') => {
      try {
        planPartnerDecision({ app: { ...app, status }, partnerId: 'p-a', decision, now: new Date() });
      } catch (error) {
        return error as ConflictError;
      }
      return undefined;
    };
    const declined = decide('changes_requested', 'declined');
    expect(declined).toBeInstanceOf(ConflictError);
    expect(declined?.message).toBe("You cannot decline application app_409 now: you asked for changes and it is waiting on the founder's revised worksheet; decide once the revision is back in your queue");
    expect(declined?.currentState).toBe('changes_requested');
    expect(decide('filed', 'approved')?.message).toBe("You cannot approve application app_409 now: it was already approved for filing (its records are now 'filed')");
    expect(decide('routed', 'approved')?.message).toMatch(/^You cannot approve application app_409 now: it was just assigned to you/);
    for (const [status, why] of [
      ['submitted', 'it is being re-sized and re-drafted; it returns to your review queue when ready'],
      ['sized', 'it is being re-sized and re-drafted; it returns to your review queue when ready'],
      ['drafted', 'it is being re-sized and re-drafted; it returns to your review queue when ready'],
      ['withdrawn', 'the founder withdrew it'],
      ['failed', 'its workflow failed and operations are looking at it'],
      ['credits_applied', "it was already approved for filing (its records are now 'credits applied')"],
    ] as const) {
      expect(decide(status, 'declined')?.message, status).toBe(`You cannot decline application app_409 now: ${why}`);
    }
    for (const status of ['changes_requested', 'filed', 'routed', 'withdrawn', 'sized'] as const) {
      for (const decision of ['approved', 'changes_requested', 'declined'] as const) {
        const err = decide(status, decision);
        if (err) expect(err.message).not.toMatch(/'drafted'|'approved_for_filing'|from '/);
      }
    }
  });
});

describe('a record change that is not possible now', () => {
  it('answers 409 saying what the partner tried and when it is possible', () => {
    const base = newApplication({ id: 'app_rec', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-11-27T00:00:00Z') });
    const app = {
      ...base, status: 'filed', partner: { partnerId: 'p-a', partnerName: 'A', assignedAt: base.createdAt, reasons: [] },
      briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record: { status: 'filed', opportunityId: 'O1234567' } }],
    } as Application;
    const err = (() => {
      try {
        planRecordChange({ app, programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'credits', amountUsd: '1.00', appliedOn: '2026-11-01', expiresOn: '2027-11-01' }, now: new Date('2026-11-29T00:00:00Z') });
      } catch (error) {
        return error as ConflictError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConflictError);
    expect(err?.message).toBe("You cannot record credits for the bedrock-poc record now: it is 'filed', and credits are recorded once AWS approved the record, and once");
    expect(err?.currentState).toBe('filed');
  });
});

describe('what a decision or a record change does (effects, reasons, guards)', () => {
  const approvedRecord = (record: Application['briefs'] extends (infer B)[] | undefined ? B extends { record?: infer R } ? R : never : never): Application => ({
    ...inReview(), status: 'approved',
    briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record }],
  });

  it('approve and decline give the partner\'s slot back; a change request keeps it', () => {
    expect(planPartnerDecision({ app: inReview(), partnerId: 'p-a', decision: 'changes_requested', now: NOW }).effects).toEqual({ callback: { kinds: ['partner-review'], output: { decision: 'changes_requested' } } });
    expect(planPartnerDecision({ app: inReview(), partnerId: 'p-a', decision: 'approved', now: NOW }).effects).toMatchObject({ releaseSlotOf: 'p-a' });
  });

  it('a reply (request changes, decline) plans as the decision does, without the brief validator; it cannot approve', () => {
    for (const decision of ['changes_requested', 'declined'] as const) {
      const args = { app: inReview(), partnerId: 'p-a', decision, text: 'please add the budget owner', now: NOW };
      expect(planPartnerReply(args), decision).toEqual(planPartnerDecision(args));
    }
    // Types refuse it; at run time too (an approval must validate the briefs).
    expect(() => planPartnerReply({ app: inReview(), partnerId: 'p-a', decision: 'approved' as 'declined', now: NOW })).toThrow(/planPartnerDecision/);
  });

  it('words the reasons: the change request\'s message (or a default), the decline\'s reason; a decline adds the partner to those passed over once', () => {
    const requested = planPartnerDecision({ app: inReview(), partnerId: 'p-a', decision: 'changes_requested', now: NOW });
    expect(requested.kind === 'apply' && requested.plan.transition.reason).toBe('changes requested');
    const declined = planPartnerDecision({ app: { ...inReview(), passedOverBy: ['p-z', 'p-a'] }, partnerId: 'p-a', decision: 'declined', text: 'no capacity', now: NOW });
    if (declined.kind !== 'apply') throw new Error('expected apply');
    expect(declined.plan.transition.reason).toBe('declined by the partner: no capacity');
    expect(declined.changes).toEqual({ passedOverBy: ['p-z', 'p-a'], partner: undefined });
    const bare = planPartnerDecision({ app: inReview(), partnerId: 'p-a', decision: 'declined', now: NOW });
    expect(bare.kind === 'apply' && bare.plan.transition.reason).toBe('declined by the partner:');
    expect(bare.kind === 'apply' && bare.changes.passedOverBy).toEqual(['p-a']);
  });

  it('a record change resumes the AWS-decision or credits wait, naming the record', () => {
    const command = planRecordChange({ app: approvedRecord({ status: 'approved' }), programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'credits', amountUsd: '10.00', appliedOn: '2026-11-30', expiresOn: '2027-11-30' }, now: NOW });
    expect(command.kind).toBe('apply');
    expect(command.effects).toEqual({ callback: { kinds: ['aws-decision', 'credits'], output: { event: 'record-changed', programId: 'bedrock-poc' } } });
    expect(command.kind === 'apply' && command.plan.transition.reason).toBe('credits applied: $10.00, expiring 2027-11-30');
    // The record shows the credits (the founder's view and the expiry reminders read them there).
    expect(command.kind === 'apply' && command.changes.briefs?.[0]?.record).toEqual({ status: 'credits_applied', credits: { amountUsd: '10.00', appliedOn: '2026-11-30', expiresOn: '2027-11-30' } });
  });

  it('credits are checked across fields before anything is planned (400 naming the field)', () => {
    const err = (() => {
      try {
        planRecordChange({ app: approvedRecord({ status: 'approved' }), programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'credits', amountUsd: '10.00', appliedOn: '2026-11-30', expiresOn: '2026-11-01' }, now: NOW });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([{ field: 'expiresOn', rule: 'must be after appliedOn (2026-11-30)' }]);
  });

  it('the same credits again replay; other credits on an applied record are refused', () => {
    const credits = { amountUsd: '10.00', appliedOn: '2026-11-30', expiresOn: '2027-11-30' };
    const app = approvedRecord({ status: 'credits_applied', credits });
    expect(planRecordChange({ app, programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'credits', ...credits }, now: NOW }).kind).toBe('replay');
    for (const other of [{ amountUsd: '11.00' }, { appliedOn: '2026-11-29' }, { expiresOn: '2027-12-31' }]) {
      expect(() => planRecordChange({ app, programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'credits', ...credits, ...other }, now: NOW }), JSON.stringify(other)).toThrow(ConflictError);
    }
    // Credits noted on a record AWS approved are not yet applied ones: recording them is no replay.
    expect(planRecordChange({ app: approvedRecord({ status: 'approved', credits }), programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'credits', ...credits }, now: NOW }).kind).toBe('apply');
    expect(() => planRecordChange({ app: approvedRecord({ status: 'approved', credits }), programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'credits', ...credits, appliedOn: '2026-12-02' }, now: NOW })).toThrow(ValidationError);
  });

  it('a record filed as one opportunity is never filed again as another, and says so', () => {
    const app = approvedRecord({ status: 'in_aws_review', opportunityId: 'O1' });
    expect(() => planRecordChange({ app, programId: 'bedrock-poc', partnerId: 'p-a', change: { kind: 'filed', opportunityId: 'O2', filedAt: NOW.toISOString() }, now: NOW }))
      .toThrow('The bedrock-poc record is already filed as O1; it cannot be filed again as O2');
  });
});

/** In partner review with the briefs the drafter writes for the example worksheet (valid on NOW), records as given. */
function withBriefs(records: (RecordState | undefined)[] = [undefined, undefined], status: Application['status'] = 'in_partner_review'): Application {
  const app = inReview();
  const drafted = draftBriefs(app.worksheet, estimate(app.worksheet, { now: NOW }).plan.filings, { now: NOW, catalog: 'Sandbox', applicationId: app.id, revision: 1 });
  const briefs: StoredBrief[] = drafted.slice(0, records.length).map((b, i) => ({
    programId: b.programId, body: b.body as Record<string, unknown>, problems: b.problems, revision: 1, ...(records[i] ? { record: records[i] } : {}),
  }));
  return { ...app, status, briefs };
}

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe("a partner's edit of a brief (JSON Merge Patch + If-Match)", () => {
  const app = withBriefs();
  const [first, second] = app.briefs as [StoredBrief, StoredBrief];
  const edit = (over: Partial<Parameters<typeof planBriefEdit>[0]> = {}) =>
    planBriefEdit({ app, programId: first.programId, partnerId: 'p-a', patch: { Project: { Title: 'A sharper title' } }, ifMatch: etagOf(first), now: NOW, ...over });

  it('the premise: the drafted briefs are valid and editable as drafts in partner review', () => {
    expect(app.briefs?.map((b) => b.problems)).toEqual([[], []]);
    expect(first.programId).not.toBe(second.programId);
  });

  it('applies the patch to the one brief: next revision, who and when, a new ClientToken, re-validated; the others unchanged', () => {
    const plan = edit();
    if (plan.kind !== 'apply') throw new Error('expected apply');
    expect(plan.expectedVersion).toBe(app.version);
    expect(plan.brief).toEqual({
      ...first,
      body: { ...first.body, Project: { ...(first.body.Project as object), Title: 'A sharper title' }, ClientToken: clientToken(app.id, first.programId, 1000 * 1 + 2) },
      problems: [], revision: 2, editedAt: NOW.toISOString(), editedBy: 'p-a',
    });
    expect(plan.briefs).toEqual([plan.brief, second]);
    expect(etagOf(plan.brief)).not.toBe(etagOf(first));
    // The brief the application holds is not touched (the plan is applied by one conditional write).
    expect((first.body.Project as { Title: string }).Title).not.toBe('A sharper title');
  });

  it('numbers ClientTokens per drafting round, so an edit after a revision never reuses one; a brief without a revision counts as 1', () => {
    const submitted = app.transitions.find((t) => t.to === 'submitted')!;
    const twoRounds: Application = { ...app, transitions: [...app.transitions, { ...submitted, version: 6 }], briefs: [{ ...first, revision: undefined }, second] };
    const plan = edit({ app: twoRounds, ifMatch: etagOf({ ...first, revision: undefined }) });
    if (plan.kind !== 'apply') throw new Error('expected apply');
    expect(plan.brief.revision).toBe(2);
    expect(plan.brief.body.ClientToken).toBe(clientToken(app.id, first.programId, 2000 + 2));
  });

  it('stores the problems the edited body has (an edit may break a rule: approval then refuses it)', () => {
    const plan = edit({ patch: { Project: { Title: null } } });
    if (plan.kind !== 'apply') throw new Error('expected apply');
    expect(plan.brief.problems.map((p) => p.field)).toContain('Project.Title');
  });

  it('needs If-Match (428): absent, empty or * are refused before anything else is looked at', () => {
    for (const ifMatch of [undefined, '', '   ', '*', ' * ']) {
      expect(caught(() => edit({ ifMatch })), String(ifMatch)).toBeInstanceOf(PreconditionRequiredError);
    }
    expect(caught(() => edit({ ifMatch: undefined, patch: { Catalog: 'AWS' } }))).toBeInstanceOf(PreconditionRequiredError);
    // The answer says where the ETag is.
    expect(() => edit({ ifMatch: undefined })).toThrow("Send If-Match with the brief's ETag (from GET /partner/applications/{id} or the last PATCH)");
  });

  it('refuses a stale ETag (412) naming the current one; matches weak and listed ETags', () => {
    const stale = caught(() => edit({ ifMatch: etagOf({ ...first, revision: 7 }) }));
    expect(stale).toBeInstanceOf(PreconditionFailedError);
    expect((stale as PreconditionFailedError).currentETag).toBe(etagOf(first));
    expect((stale as Error).message).toMatch(/^The brief changed since you read it: GET \/partner\/applications\/\{id\} again/);
    expect(edit({ ifMatch: `W/${etagOf(first)}` }).kind).toBe('apply');
    expect(edit({ ifMatch: `"0-x", ${etagOf(first)} ,"1-y"` }).kind).toBe('apply');
  });

  it('a patch that changes nothing (a repeated request) answers with the brief as it is, whatever the ETag', () => {
    const title = (first.body.Project as { Title: string }).Title;
    expect(edit({ patch: { Project: { Title: title } }, ifMatch: '"9-stale"' })).toEqual({ kind: 'unchanged', brief: first });
    expect(edit({ patch: {} })).toEqual({ kind: 'unchanged', brief: first });
  });

  it('never lets a partner change what the service sets (400 naming the field), even to the same ETag', () => {
    const err = caught(() => edit({ patch: { Catalog: 'AWS', ClientToken: 'mine' } }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe('The patch changes fields that cannot be changed now');
    expect((err as ValidationError).problems).toEqual([
      { field: 'Catalog', rule: 'is set by the service and cannot be edited' },
      { field: 'ClientToken', rule: 'is set by the service and cannot be edited' },
    ]);
  });

  it('in Action Required: only the fields ACE lets a partner change, and the ClientToken stays (the record is already filed)', () => {
    const actionRequired: RecordState = { status: 'action_required', opportunityId: 'O1234567', awsReview: { at: NOW.toISOString(), comments: 'fix the website' } };
    const held = withBriefs([actionRequired, { status: 'in_aws_review', opportunityId: 'O7654321' }], 'action_required');
    const brief = held.briefs![0]!;
    const plan = planBriefEdit({ app: held, programId: brief.programId, partnerId: 'p-a', patch: { Customer: { Account: { WebsiteUrl: 'https://www.ledgerly.ai' } } }, ifMatch: etagOf(brief), now: NOW });
    if (plan.kind !== 'apply') throw new Error('expected apply');
    expect(plan.brief.body.ClientToken).toBe(brief.body.ClientToken);
    expect(plan.brief.record).toEqual(actionRequired);
    expect((plan.brief.body.Customer as { Account: { WebsiteUrl: string } }).Account.WebsiteUrl).toBe('https://www.ledgerly.ai');

    const err = caught(() => planBriefEdit({ app: held, programId: brief.programId, partnerId: 'p-a', patch: { Project: { Title: 'New' } }, ifMatch: etagOf(brief), now: NOW }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([{ field: 'Project.Title', rule: expect.stringMatching(/^cannot be changed while the record is in Action Required/) }]);
    // The other record, in AWS review, is not editable (409 naming its state).
    const other = held.briefs![1]!;
    const conflict = caught(() => planBriefEdit({ app: held, programId: other.programId, partnerId: 'p-a', patch: { Project: { Title: 'New' } }, ifMatch: etagOf(other), now: NOW }));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).currentState).toBe('in_aws_review');
  });

  it('a draft is editable only while in partner review (409 naming the application state), for the assigned partner only (404)', () => {
    for (const status of ['approved_for_filing', 'changes_requested', 'routed'] as const) {
      const err = caught(() => edit({ app: { ...app, status } }));
      expect(err, status).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).currentState).toBe(status);
      expect((err as ConflictError).message).toContain(`The ${first.programId} record is 'draft' (application '${status}')`);
    }
    expect(caught(() => edit({ partnerId: 'p-b' }))).toBeInstanceOf(NotFoundError);
    expect(caught(() => edit({ partnerId: 'p-b', ifMatch: undefined }))).toBeInstanceOf(NotFoundError);
    expect(caught(() => edit({ programId: 'no-such-program' }))).toBeInstanceOf(NotFoundError);
  });
});

describe("the partner's approval validates every brief first", () => {
  it('approves for filing: draft records become approved for filing, the reason names the programs', () => {
    const app = withBriefs();
    const command = planApproval({ app, partnerId: 'p-a', decision: 'approved', now: NOW });
    if (command.kind !== 'apply') throw new Error('expected apply');
    expect(command.plan.transition).toMatchObject({ from: 'in_partner_review', to: 'approved_for_filing', version: app.version + 1, actor: { kind: 'partner', id: 'p-a' } });
    expect(command.plan.transition.reason).toBe(`approved for filing by the partner: ${app.briefs!.map((b) => b.programId).join(', ')}`);
    expect(command.changes).toEqual({ briefs: app.briefs!.map((b) => ({ ...b, record: { status: 'approved_for_filing' } })) });
    expect(command.effects).toEqual({ releaseSlotOf: 'p-a', callback: { kinds: ['partner-review'], output: { decision: 'approved' } } });
  });

  it('leaves a record that is not a draft as it is; with no briefs the reason names none', () => {
    const filed: RecordState = { status: 'filed', opportunityId: 'O1234567' };
    const app = withBriefs([filed, undefined]);
    const command = planApproval({ app, partnerId: 'p-a', decision: 'approved', now: NOW });
    if (command.kind !== 'apply') throw new Error('expected apply');
    expect(command.changes.briefs?.map((b) => b.record)).toEqual([filed, { status: 'approved_for_filing' }]);
    for (const briefs of [[], undefined]) {
      const none = planApproval({ app: { ...inReview(), briefs }, partnerId: 'p-a', decision: 'approved', now: NOW });
      expect(none.kind === 'apply' && none.plan.transition.reason, String(briefs)).toBe('approved for filing by the partner');
      expect(none.kind === 'apply' && none.changes).toEqual({ briefs: [] });
    }
  });

  it('refuses (422) while a brief breaks a rule, naming each field by program; checked on the day of approval', () => {
    const app = withBriefs();
    const broken: Application = { ...app, briefs: [{ ...app.briefs![0]!, body: { ...app.briefs![0]!.body, Project: { ...(app.briefs![0]!.body.Project as object), Title: undefined } } }, app.briefs![1]!] };
    const err = caught(() => planApproval({ app: broken, partnerId: 'p-a', decision: 'approved', now: NOW }));
    expect(err).toBeInstanceOf(UnprocessableError);
    expect((err as Error).message).toBe('Every brief must pass validation before approval; fix these fields first (PATCH the brief)');
    expect((err as UnprocessableError).problems.map((p) => p.field)).toEqual([`briefs.${app.briefs![0]!.programId}.Project.Title`]);
    // Valid when drafted; a year later the target close date has passed.
    const late = caught(() => planApproval({ app, partnerId: 'p-a', decision: 'approved', now: new Date(NOW.getTime() + 365 * 24 * 3600 * 1000) }));
    expect(late).toBeInstanceOf(UnprocessableError);
    expect((late as UnprocessableError).problems.map((p) => p.field)).toContain(`briefs.${app.briefs![0]!.programId}.LifeCycle.TargetCloseDate`);
  });
});

describe("AWS's review outcomes and filings recorded by the partner", () => {
  const holding = (record: RecordState): Application => ({
    ...inReview(), status: record.status as Application['status'], briefs: [{ programId: 'bedrock-poc', body: {}, problems: [], record }],
  });
  const change = (record: RecordState, c: Parameters<typeof planRecordChange>[0]['change']) => planRecordChange({ app: holding(record), programId: 'bedrock-poc', partnerId: 'p-a', change: c, now: NOW });
  const applied = (command: ReturnType<typeof planRecordChange>) => {
    if (command.kind !== 'apply') throw new Error(`expected apply, got ${command.kind}`);
    return { reason: command.plan.transition.reason, record: command.changes.briefs?.[0]?.record };
  };
  const filed: RecordState = { status: 'filed', opportunityId: 'O1234567', filedAt: '2026-11-30T10:00:00Z', filedVia: 'api' };
  const at = NOW.toISOString();

  it('a filing: by hand unless said otherwise, through the API when the partner says so', () => {
    const ready: RecordState = { status: 'approved_for_filing' };
    expect(applied(change(ready, { kind: 'filed', opportunityId: 'O7654321', filedAt: at }))).toEqual({
      reason: 'filed by hand in ACE as O7654321', record: { status: 'filed', opportunityId: 'O7654321', filedAt: at, filedVia: 'manual' },
    });
    expect(applied(change(ready, { kind: 'filed', opportunityId: 'O7654321', filedAt: at, via: 'api' }))).toMatchObject({
      reason: 'filed through the Partner Central API as O7654321', record: { filedVia: 'api' },
    });
  });

  it('in review, Action Required (with or without comments), approved with the award, rejected with the reason', () => {
    expect(applied(change(filed, { kind: 'aws-review', outcome: 'in-review' }))).toEqual({ reason: 'AWS review: In review', record: { ...filed, status: 'in_aws_review' } });
    const inReviewRecord: RecordState = { ...filed, status: 'in_aws_review' };
    expect(applied(change(inReviewRecord, { kind: 'aws-review', outcome: 'action-required', comments: 'Add the website' }))).toEqual({
      reason: 'AWS review: Action Required: Add the website', record: { ...filed, status: 'action_required', awsReview: { at, comments: 'Add the website' } },
    });
    expect(applied(change(inReviewRecord, { kind: 'aws-review', outcome: 'action-required' }))).toEqual({
      reason: 'AWS review: Action Required', record: { ...filed, status: 'action_required', awsReview: { at } },
    });
    // (An approved POC record also drafts its funding request: records.ts, tested there.)
    const approval = applied(change(inReviewRecord, { kind: 'aws-review', outcome: 'approved', amountUsd: '25000.00', expiresOn: '2027-12-31', comments: 'ok' }));
    expect(approval.reason).toMatch(/^AWS review: Approved, \$25000\.00 expiring 2027-12-31(;|$)/);
    expect(approval.record).toMatchObject({ ...filed, status: 'approved', awsReview: { at, comments: 'ok' }, award: { amountUsd: '25000.00', expiresOn: '2027-12-31' } });
    expect(applied(change(inReviewRecord, { kind: 'aws-review', outcome: 'rejected', reason: 'Customer Deficiency' }))).toEqual({
      reason: 'AWS review: Rejected (Customer Deficiency)', record: { ...filed, status: 'rejected', awsReview: { at, reason: 'Customer Deficiency' } },
    });
    expect(applied(change(inReviewRecord, { kind: 'aws-review', outcome: 'rejected' }))).toMatchObject({ reason: 'AWS review: Rejected (Other)', record: { awsReview: { reason: 'Other' } } });
  });

  it('the same outcome again replays (only the wait resumes); a different one for the same status does not', () => {
    const approved: RecordState = { ...filed, status: 'approved', award: { amountUsd: '25000.00', expiresOn: '2027-12-31' } };
    expect(change(approved, { kind: 'aws-review', outcome: 'approved', amountUsd: '25000.00', expiresOn: '2027-12-31' }).kind).toBe('replay');
    expect(caught(() => change(approved, { kind: 'aws-review', outcome: 'approved', amountUsd: '30000.00', expiresOn: '2027-12-31' }))).toBeInstanceOf(ConflictError);
    expect(caught(() => change(approved, { kind: 'aws-review', outcome: 'approved', amountUsd: '25000.00', expiresOn: '2028-01-31' }))).toBeInstanceOf(ConflictError);
    const rejected: RecordState = { ...filed, status: 'rejected', awsReview: { at, reason: 'Customer Deficiency' } };
    expect(change(rejected, { kind: 'aws-review', outcome: 'rejected', reason: 'Customer Deficiency' }).kind).toBe('replay');
    expect(caught(() => change(rejected, { kind: 'aws-review', outcome: 'rejected', reason: 'Other' }))).toBeInstanceOf(ConflictError);
    const held: RecordState = { ...filed, status: 'action_required', awsReview: { at, comments: 'Add the website' } };
    expect(change(held, { kind: 'aws-review', outcome: 'action-required', comments: 'Add the website' }).kind).toBe('replay');
    expect(caught(() => change(held, { kind: 'aws-review', outcome: 'action-required', comments: 'Something else' }))).toBeInstanceOf(ConflictError);
    expect(change({ ...filed, status: 'in_aws_review' }, { kind: 'aws-review', outcome: 'in-review' }).kind).toBe('replay');
    // Back in review after an Action Required round (its comments kept on the record): 'in review' again still replays.
    expect(change({ ...held, status: 'in_aws_review' }, { kind: 'aws-review', outcome: 'in-review' }).kind).toBe('replay');
    // A record approved or rejected before the award or the reason was kept is not a replay, nor a crash: a 409.
    expect(caught(() => change({ ...filed, status: 'approved' }, { kind: 'aws-review', outcome: 'approved', amountUsd: '1.00', expiresOn: '2027-01-01' }))).toBeInstanceOf(ConflictError);
    expect(caught(() => change({ ...filed, status: 'rejected' }, { kind: 'aws-review', outcome: 'rejected', reason: 'Other' }))).toBeInstanceOf(ConflictError);
    // An outcome for another status is not a replay: Action Required while in AWS review moves the record.
    expect(change({ ...filed, status: 'in_aws_review' }, { kind: 'aws-review', outcome: 'action-required' }).kind).toBe('apply');
  });

  it('an outcome AWS cannot give now is refused (409) saying when it applies', () => {
    expect(() => change({ status: 'approved_for_filing' }, { kind: 'aws-review', outcome: 'approved', amountUsd: '1.00', expiresOn: '2027-01-01' }))
      .toThrow("You cannot record AWS's review outcome for the bedrock-poc record now: it is 'approved for filing', and AWS decides on a filed record that it has not decided on yet");
    expect(() => change({ status: 'approved_for_filing' }, { kind: 'aws-review', outcome: 'in-review' }))
      .toThrow(/it is 'approved for filing', and AWS reviews a record after it was filed/);
  });
});
