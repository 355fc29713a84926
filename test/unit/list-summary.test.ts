// What the list views show of an application (functions/core/application/list-summary.ts, projected by the list
// indexes): exactly these fields, each from where the application keeps it, and nothing for what it does not have.
// Applications are built in each test.
import { describe, expect, it } from 'vitest';
import { listSummaryOf } from '../../functions/core/application/list-summary.ts';
import { ESCALATION_MARK } from '../../functions/core/operations/escalation.ts';
import { newApplication } from '../../functions/core/intake.ts';
import type { Application, Transition } from '../../schemas/application.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

function submitted(): Application {
  return newApplication({ id: 'app_summary01', worksheet: exampleWorksheet(), tokenHash: 'h', now: NOW });
}

function step(app: Application, t: Omit<Transition, 'version' | 'at'>, at: string): Application {
  const version = app.version + 1;
  return { ...app, status: t.to, version, updatedAt: at, transitions: [...app.transitions, { ...t, at, version }] };
}

describe('listSummaryOf', () => {
  it('a new application: its company, creation time, no records and the intake reason, nothing else', () => {
    expect(listSummaryOf(submitted())).toStrictEqual({
      company: 'Ledgerly Labs',
      createdAt: '2026-12-01T09:00:00.000Z',
      records: [],
      lastReason: 'worksheet submitted',
    });
  });

  it('the reason of the latest transition (not the first or the second), and no reason when there is none', () => {
    let app = submitted();
    app = step(app, { actor: { kind: 'system', id: 'Route' }, from: 'submitted', to: 'routed', reason: 'routed to Northwind' }, '2026-12-01T10:00:00.000Z');
    app = step(app, { actor: { kind: 'partner', id: 'p-northwind' }, from: 'routed', to: 'in_partner_review', reason: 'review started' }, '2026-12-01T11:00:00.000Z');
    expect(listSummaryOf(app).lastReason).toBe('review started');
    expect(listSummaryOf({ ...app, transitions: [] }).lastReason).toBe('');
  });

  it('each brief as its program and record status (a brief without a record is a draft)', () => {
    const app: Application = {
      ...submitted(),
      briefs: [
        { programId: 'bedrock-poc', body: { a: 1 }, problems: [], revision: 2 },
        { programId: 'activate', body: {}, problems: [], record: { status: 'filed', opportunityId: 'O1', filedAt: '2026-12-01T12:00:00.000Z' } },
      ],
    };
    expect(listSummaryOf(app).records).toStrictEqual([{ programId: 'bedrock-poc', status: 'draft' }, { programId: 'activate', status: 'filed' }]);
  });

  it('the partner id, the failure (only the fields the failed page shows), the standing escalation and the execution', () => {
    let app: Application = {
      ...submitted(),
      status: 'approved',
      partner: { partnerId: 'p-northwind', partnerName: 'Northwind Cloud Partners', assignedAt: '2026-12-01T10:00:00.000Z', reasons: ['fits'] },
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:AceFiling:app_summary01',
      failure: { at: '2026-12-02T00:00:00.000Z', state: 'Draft', error: 'States.Timeout', cause: 'took too long', failedFrom: 'routed' },
    };
    app = step(app, { actor: { kind: 'system', id: 'Notify' }, from: 'approved', to: 'approved', reason: `${ESCALATION_MARK}: no decision` }, '2026-12-03T00:00:00.000Z');
    expect(listSummaryOf(app)).toStrictEqual({
      company: 'Ledgerly Labs',
      createdAt: '2026-12-01T09:00:00.000Z',
      records: [],
      lastReason: `${ESCALATION_MARK}: no decision`,
      partnerId: 'p-northwind',
      failure: { state: 'Draft', error: 'States.Timeout', cause: 'took too long', at: '2026-12-02T00:00:00.000Z', failedFrom: 'routed' },
      escalation: { at: '2026-12-03T00:00:00.000Z', reason: `${ESCALATION_MARK}: no decision` },
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:AceFiling:app_summary01',
    });
  });
});
