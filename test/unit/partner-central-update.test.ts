import { describe, expect, it } from 'vitest';
import { containsChanges, planApiUpdate } from '../../functions/core/ace/partner-central-submission.ts';
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
