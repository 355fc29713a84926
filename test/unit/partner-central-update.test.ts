import { describe, expect, it } from 'vitest';
import { containsChanges, planApiUpdate, updatePayload } from '../../functions/core/ace/partner-central-submission.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { ConflictError } from '../../functions/core/errors.ts';
import type { Application, RecordStatus } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const now = new Date('2026-12-06T12:00:00Z');
const body = { Customer: { Account: { CompanyName: 'Ledgerly', WebsiteUrl: 'https://ledgerly.ai' } }, LifeCycle: { NextSteps: 'Filed' }, Project: { Title: 'Ledgerly' } };

function filedApp(status: RecordStatus): Application {
  const app = newApplication({ id: 'app_u', worksheet: exampleWorksheet(), tokenHash: 'h', now });
  return {
    ...app, status: status === 'action_required' ? 'action_required' : 'in_aws_review', version: 9,
    partner: { partnerId: 'p-northwind', partnerName: 'Northwind', assignedAt: now.toISOString(), reasons: [] },
    briefs: [{ programId: 'bedrock-poc', body, problems: [], revision: 3, record: { status, opportunityId: 'O123', filedVia: 'api' } }],
  };
}

const args = (app: Application, changes: Record<string, unknown>) => ({ app, programId: 'bedrock-poc', partnerId: 'p-northwind', opportunityId: 'O123', changes, lastModifiedDate: '2026-12-06T11:59:00Z', now });

describe('containsChanges (is an update already there?)', () => {
  it('compares objects member by member and ignores members beyond the change', () => {
    expect(containsChanges(body, { Customer: { Account: { WebsiteUrl: 'https://ledgerly.ai' } } })).toBe(true);
    expect(containsChanges(body, { Customer: { Account: { WebsiteUrl: 'https://www.ledgerly.ai' } } })).toBe(false);
    expect(containsChanges(body, { Marketing: { Source: 'None' } })).toBe(false);
  });
  it('compares arrays and values whole', () => {
    expect(containsChanges({ a: ['x', 'y'] }, { a: ['x', 'y'] })).toBe(true);
    expect(containsChanges({ a: ['x', 'y'] }, { a: ['x'] })).toBe(false);
    expect(containsChanges({ a: { b: 1 } }, { a: 1 })).toBe(false);
    expect(containsChanges({ a: 1 }, { a: { b: 1 } })).toBe(false);
  });
});

describe('containsChanges: the order of an object\'s members does not matter (JSON objects are unordered)', () => {
  it('finds an array of objects whose members come in another order (the SDK answers in the model\'s order)', () => {
    const read = { Customer: { Contacts: [{ Email: 'maya@ledgerly.ai', FirstName: 'Maya' }], Account: { CompanyName: 'Ledgerly' } } };
    expect(containsChanges(read, { Customer: { Contacts: [{ FirstName: 'Maya', Email: 'maya@ledgerly.ai' }] } })).toBe(true);
    expect(containsChanges(read, { Customer: { Contacts: [{ FirstName: 'Maya', Email: 'maya@ledgerly.example' }] } })).toBe(false);
    expect(containsChanges(read, { Customer: { Contacts: [{ FirstName: 'Maya' }] } })).toBe(false); // array items compared whole
    expect(containsChanges(read, { Customer: { Contacts: [{ FirstName: 'Maya', Email: 'maya@ledgerly.ai', Phone: '+1' }] } })).toBe(false);
    expect(containsChanges({ a: [[{ x: 1, y: 2 }]] }, { a: [[{ y: 2, x: 1 }]] })).toBe(true);
  });
  it('still tells arrays from objects, null from an object, and a member left undefined from one absent', () => {
    expect(containsChanges({ a: [{ x: 1 }] }, { a: { 0: { x: 1 } } })).toBe(false);
    expect(containsChanges({ a: { 0: { x: 1 } } }, { a: [{ x: 1 }] })).toBe(false);
    expect(containsChanges({ a: [null] }, { a: [{}] })).toBe(false);
    expect(containsChanges({ a: [{}] }, { a: [null] })).toBe(false);
    expect(containsChanges({ a: [{ x: 1, y: undefined }] }, { a: [{ x: 1 }] })).toBe(true);
    expect(containsChanges({ a: [{ x: 1 }] }, { a: [{ x: 1, z: 2 }] })).toBe(false);
    expect(containsChanges({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });

  it('compares arrays item by item at their full length, and an array only with an array', () => {
    expect(containsChanges({ a: ['x'] }, { a: ['x', 'y'] })).toBe(false); // shorter in Partner Central
    expect(containsChanges({ a: [1, 2] }, { a: [1, 3] })).toBe(false); // one item differs, not all
    expect(containsChanges({ a: { 0: 'x', length: 1 } }, { a: ['x'] })).toBe(false); // array-like is no array
  });

  it('tells a value from an object holding the same entries, and members by their names', () => {
    expect(containsChanges({ a: ['x'] }, { a: [{ 0: 'x' }] })).toBe(false);
    expect(containsChanges({ a: [{ 0: 'x' }] }, { a: ['x'] })).toBe(false);
    expect(containsChanges({ a: [{ x: 1 }] }, { a: [{ y: 1 }] })).toBe(false);
  });

  it('a member Partner Central lacks holds no change, not even a null', () => {
    expect(containsChanges({}, { a: null })).toBe(false);
    expect(containsChanges({ a: null }, { a: null })).toBe(true);
  });
});

describe('updatePayload (UpdateOpportunity takes the whole opportunity: a member left out is set to null)', () => {
  it('sends every updatable member read, the changed ones replaced whole, and nothing Partner Central keeps itself', () => {
    const read = { ...body, Id: 'O123', Arn: 'arn:x', CreatedDate: 'd', RelatedEntityIdentifiers: { Solutions: ['S-1'] }, Marketing: { Source: 'None' }, LifeCycle: { NextSteps: 'Filed', ReviewStatus: 'Action Required' } };
    expect(updatePayload(read, { Customer: { Account: { CompanyName: 'Ledgerly Inc' } } })).toEqual({
      Customer: { Account: { CompanyName: 'Ledgerly Inc' } }, Project: body.Project, Marketing: { Source: 'None' }, LifeCycle: { NextSteps: 'Filed', ReviewStatus: 'Action Required' },
    });
    expect(updatePayload({ Project: undefined, OpportunityType: 'Net New Business' }, {})).toStrictEqual({ OpportunityType: 'Net New Business' });
  });
});

describe('planApiUpdate (recording an UpdateOpportunity and copying it into the brief)', () => {
  it('replaces the changed members in the brief, raises its revision and records a note that keeps both statuses', () => {
    const app = filedApp('action_required');
    const plan = planApiUpdate(args(app, { Customer: { Account: { CompanyName: 'Ledgerly', WebsiteUrl: 'https://www.ledgerly.ai' } } }));
    if (plan.kind !== 'record') throw new Error('expected a record plan');
    const [brief] = plan.briefs;
    expect(brief?.body).toEqual({ ...body, Customer: { Account: { CompanyName: 'Ledgerly', WebsiteUrl: 'https://www.ledgerly.ai' } } });
    expect(brief?.revision).toBe(4);
    expect(brief?.editedBy).toBe('p-northwind');
    expect(plan.note).toMatchObject({
      from: 'action_required', to: 'action_required', version: 10, actor: { kind: 'partner', id: 'p-northwind' },
      record: { programId: 'bedrock-poc', from: 'action_required', to: 'action_required' },
    });
    expect(plan.note.reason).toContain('Updated O123 in Partner Central');
    expect(plan.note.reason).toContain('changed: Customer');
    expect(plan.note.reason).toContain('2026-12-06T11:59:00Z');
  });
  it('is a replay when the brief already holds the change', () => {
    expect(planApiUpdate(args(filedApp('action_required'), { LifeCycle: { NextSteps: 'Filed' } })).kind).toBe('replay');
    expect(planApiUpdate(args(filedApp('in_aws_review'), { LifeCycle: { NextSteps: 'Filed' } })).kind).toBe('replay');
  });
  it('refuses (409) to record a new change once the record left Action Required', () => {
    expect(() => planApiUpdate(args(filedApp('in_aws_review'), { LifeCycle: { NextSteps: 'Changed' } }))).toThrow(ConflictError);
  });
  it('answers not found to a partner the application is not assigned to', () => {
    expect(() => planApiUpdate({ ...args(filedApp('action_required'), { LifeCycle: { NextSteps: 'x' } }), partnerId: 'p-other' })).toThrow(/not found/);
  });
});

describe('planApiUpdate and containsChanges: what the founder reads, nulls, other records (mutation testing, 2026-12-07)', () => {
  it('treats a null member as a value: the same null is there, an object over a null is not', () => {
    expect(containsChanges({ Marketing: null }, { Marketing: null })).toBe(true);
    expect(containsChanges({ Marketing: null }, { Marketing: { Source: 'None' } })).toBe(false);
  });

  it('says every changed member, sorted, and when Partner Central saved it', () => {
    const plan = planApiUpdate(args(filedApp('action_required'), { Project: { Title: 'Ledgerly AI' }, Customer: { Account: { CompanyName: 'Ledgerly Inc' } } }));
    if (plan.kind !== 'record') throw new Error('expected a record plan');
    expect(plan.note.reason).toBe("Updated O123 in Partner Central to answer AWS's Action Required (changed: Customer, Project); "
      + 'Partner Central saved it at 2026-12-06T11:59:00Z. It goes back to AWS when resubmitted.');
    const unsaid = planApiUpdate({ ...args(filedApp('action_required'), { Project: { Title: 'Ledgerly AI' } }), lastModifiedDate: undefined });
    expect(unsaid.kind === 'record' && unsaid.note.reason).toBe("Updated O123 in Partner Central to answer AWS's Action Required (changed: Project). It goes back to AWS when resubmitted.");
  });

  it('changes only this program\'s brief, and counts a first edit from revision 1', () => {
    const app = filedApp('action_required');
    const other = { programId: 'map', body: { Project: { Title: 'Other' } }, problems: [], record: { status: 'filed' as const } };
    const [poc] = app.briefs ?? [];
    const plan = planApiUpdate(args({ ...app, briefs: [{ ...poc!, revision: undefined }, other] }, { Project: { Title: 'Ledgerly AI' } }));
    if (plan.kind !== 'record') throw new Error('expected a record plan');
    expect(plan.briefs[0]?.revision).toBe(2);
    expect(plan.briefs[0]?.editedAt).toBe('2026-12-06T12:00:00.000Z');
    expect(plan.briefs[1]).toEqual(other);
  });

  it('names the record status when it refuses (409) a change after Action Required', () => {
    expect(() => planApiUpdate(args(filedApp('in_aws_review'), { LifeCycle: { NextSteps: 'Changed' } }))).toThrow(
      "The bedrock-poc record is 'in_aws_review'; an update through the API is recorded only while AWS's Action Required is open",
    );
  });
});
