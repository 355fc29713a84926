// The helpers of a planned human step (functions/core/application/commands.ts): who counts as the same actor, whether
// an application is a partner's, and the 404 that does not tell another partner's application from a missing one.
import { describe, expect, it } from 'vitest';
import { FOUNDER, isAssignedTo, notFound, sameActor, TASK_TOKEN_KINDS } from '../../functions/core/application/commands.ts';
import { NotFoundError } from '../../functions/core/errors.ts';
import { newApplication } from '../../functions/core/intake.ts';
import { exampleWorksheet } from '../support/fixtures.ts';

describe('sameActor', () => {
  it('is the same kind and the same id, both', () => {
    expect(sameActor({ kind: 'partner', id: 'p-a' }, { kind: 'partner', id: 'p-a' })).toBe(true);
    expect(sameActor(FOUNDER, { kind: 'founder', id: 'founder' })).toBe(true);
    expect(sameActor({ kind: 'partner', id: 'p-a' }, { kind: 'partner', id: 'p-b' })).toBe(false);
    expect(sameActor({ kind: 'ops', id: 'p-a' }, { kind: 'partner', id: 'p-a' })).toBe(false);
    expect(sameActor({ kind: 'ops', id: 'x' }, { kind: 'system', id: 'y' })).toBe(false);
  });
});

describe('isAssignedTo and notFound', () => {
  it('an application is a partner\'s only while that partner is assigned; an unassigned one is nobody\'s', () => {
    const app = newApplication({ id: 'app_commands01', worksheet: exampleWorksheet(), tokenHash: 'h', now: new Date('2026-12-01T00:00:00Z') });
    expect(isAssignedTo(app, 'p-a')).toBe(false);
    const assigned = { ...app, partner: { partnerId: 'p-a', partnerName: 'A Partners', assignedAt: '2026-12-01T00:00:00.000Z', reasons: [] } };
    expect(isAssignedTo(assigned, 'p-a')).toBe(true);
    expect(isAssignedTo(assigned, 'p-b')).toBe(false);
    const error = notFound(assigned);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('Application app_commands01 not found');
  });

  it('the task-token kinds are the names the workflow stores them under', () => {
    expect(TASK_TOKEN_KINDS).toStrictEqual({
      partnerReview: 'partner-review', founderRevision: 'founder-revision', awsDecision: 'aws-decision', credits: 'credits', addressConfirmation: 'address-confirmation',
    });
  });
});
