// The reviewer's desk: local admin endpoints (on the HTTP API's port, beside /__local/clock) that let a person play
// AWS's reviewer and the partner's console on the local Partner Central. Each change publishes the event Partner
// Central publishes, delivered to the stack's rule target (the events handler); the answer comes after delivery and
// says what the handler did. `"event": "lost"` drops the event (only the reconciliation will bring the change),
// `"event": "duplicated"` delivers it twice (applied once).
//
//   GET  /__local/partner-central                                  opportunities, roles, recent deliveries
//   GET  /__local/partner-central/opportunities/{id}               one opportunity as GetOpportunity shows it
//   POST /__local/partner-central/opportunities/{id}/review        {"status": "In review"}
//                                                                  {"status": "Action Required", "comments": "...", "reason"?: "..."}
//                                                                  {"status": "Approved", "comments"?: "..."}
//                                                                  {"status": "Rejected", "closedLostReason": "<ACE ClosedLostReason>", "comments"?: "..."}
//   POST /__local/partner-central/opportunities/{id}/console-edit  {...members}: an edit in the Partner Central console
//   POST /__local/partner-central/roles                            {"roleArn": "...", "externalId"?: "..."}: register a role
//   GET  /__local/partner-central/benefit-applications/{id}        one benefit application (with its allocations)
//   POST /__local/partner-central/benefit-applications/{id}/review {"status": "IN_REVIEW"}
//                                                                  {"status": "ACTION_REQUIRED", "reason": "..."}
//                                                                  {"status": "APPROVED", "amountUsd": "25000", "startsAt"?: ISO, "expiresAt"?: ISO}
//                                                                  {"status": "REJECTED", "reason": "..."}
//   (the Benefits service's events are not published locally: the scheduled reconciliation brings these changes; POST
//    /__local/schedules/... or the reconcile schedule runs it at once)
import type { EventDelivery } from '../event-rules.ts';
import { ReviewerError, type ReviewerMove } from './catalog.ts';
import type { BenefitReviewerMove } from './benefits.ts';
import type { PartnerCentralStandIn } from './server.ts';

export type EventFate = 'delivered' | 'lost' | 'duplicated';

export interface PartnerCentralDesk {
  readonly standIn: PartnerCentralStandIn;
  /** What happens to the events the next change publishes. */
  setEventFate(fate: EventFate): void;
  /** Waits for the deliveries started so far; returns those made since `from`. */
  deliveriesSince(from: number): Promise<EventDelivery[]>;
  deliveryCount(): number;
}

type Send = (status: number, body: unknown) => true;

const REVIEW_STATUSES = ['In review', 'Action Required', 'Approved', 'Rejected'] as const;

function parseMove(body: Record<string, unknown>, closedLostReasons: readonly string[]): ReviewerMove | string {
  const status = body.status;
  const text = (k: string): string | undefined => (typeof body[k] === 'string' && (body[k] as string).trim() !== '' ? (body[k] as string) : undefined);
  switch (status) {
    case 'In review':
      return { status };
    case 'Action Required': {
      const comments = text('comments');
      if (!comments) return '"comments" is required for Action Required: what the partner must fix';
      const reason = text('reason');
      return { status, comments, ...(reason ? { reason } : {}) };
    }
    case 'Approved': {
      const comments = text('comments');
      return { status, ...(comments ? { comments } : {}) };
    }
    case 'Rejected': {
      const closedLostReason = text('closedLostReason');
      if (!closedLostReason || !closedLostReasons.includes(closedLostReason)) return `"closedLostReason" must be one of ACE's ClosedLostReason values: ${closedLostReasons.join(', ')}`;
      const comments = text('comments');
      return { status, closedLostReason, ...(comments ? { comments } : {}) };
    }
    default:
      return `"status" must be one of: ${REVIEW_STATUSES.join(', ')}`;
  }
}

const BENEFIT_STATUSES = ['IN_REVIEW', 'ACTION_REQUIRED', 'APPROVED', 'REJECTED'] as const;

function parseBenefitMove(body: Record<string, unknown>): BenefitReviewerMove | string {
  const text = (k: string): string | undefined => (typeof body[k] === 'string' && (body[k] as string).trim() !== '' ? (body[k] as string) : undefined);
  const iso = (k: string): string | undefined | false => {
    const v = text(k);
    if (v === undefined) return undefined;
    return Number.isNaN(Date.parse(v)) ? false : new Date(v).toISOString();
  };
  switch (body.status) {
    case 'IN_REVIEW':
      return { status: 'IN_REVIEW' };
    case 'ACTION_REQUIRED':
    case 'REJECTED': {
      const reason = text('reason');
      if (!reason) return `"reason" is required for ${body.status}: what AWS says to the partner`;
      return { status: body.status, reason };
    }
    case 'APPROVED': {
      const amountUsd = text('amountUsd');
      if (!amountUsd || !/^(0|[1-9]\d*)(\.\d{1,2})?$/.test(amountUsd) || Number(amountUsd) <= 0) return '"amountUsd" is required for APPROVED: the credits allocated, a USD amount like 25000 or 25000.00';
      const startsAt = iso('startsAt');
      const expiresAt = iso('expiresAt');
      if (startsAt === false || expiresAt === false) return '"startsAt" and "expiresAt" must be ISO 8601 dates';
      if (startsAt && expiresAt && expiresAt <= startsAt) return '"expiresAt" must be after "startsAt"';
      const reason = text('reason');
      return { status: 'APPROVED', amountUsd, ...(startsAt ? { startsAt } : {}), ...(expiresAt ? { expiresAt } : {}), ...(reason ? { reason } : {}) };
    }
    default:
      return `"status" must be one of: ${BENEFIT_STATUSES.join(', ')}`;
  }
}

/** Answers a /__local/partner-central request (true), or leaves it (false). */
export function partnerCentralAdmin(desk: PartnerCentralDesk): (method: string, path: string, body: Buffer, send: Send) => Promise<boolean> {
  const { standIn } = desk;
  const change = async (send: Send, fate: unknown, run: () => unknown): Promise<true> => {
    const from = desk.deliveryCount();
    desk.setEventFate(fate === 'lost' || fate === 'duplicated' ? fate : 'delivered');
    try {
      const opportunity = run();
      return send(200, { opportunity, deliveries: await desk.deliveriesSince(from) });
    } catch (error) {
      if (error instanceof ReviewerError) return send(error.status, { message: error.message });
      throw error;
    } finally {
      desk.setEventFate('delivered');
    }
  };

  return async (method, path, raw, send) => {
    if (!path.startsWith('/__local/partner-central')) return false;
    let body: Record<string, unknown> = {};
    if (method === 'POST') {
      try {
        body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return send(400, { message: 'body must be a JSON object' });
      }
    }
    if (path === '/__local/partner-central' && method === 'GET') {
      return send(200, {
        opportunities: standIn.catalog.opportunities().map((o) => ({
          id: o.id, catalog: o.catalog, account: o.accountId, reviewStatus: o.lifeCycle.ReviewStatus, stage: o.lifeCycle.Stage,
          lastModifiedDate: o.lastModifiedDate, solutions: o.solutions, partnerOpportunityIdentifier: o.body.PartnerOpportunityIdentifier,
        })),
        benefitApplications: standIn.benefits.applications().map((a) => ({
          id: a.id, catalog: a.catalog, account: a.accountId, status: a.status, revision: a.revision, updatedAt: a.updatedAt, associatedResources: a.associatedResources,
        })),
        roles: standIn.state().roles,
        recentDeliveries: (await desk.deliveriesSince(Math.max(0, desk.deliveryCount() - 20))),
      });
    }
    if (path === '/__local/partner-central/roles' && method === 'POST') {
      if (typeof body.roleArn !== 'string' || !/^arn:aws:iam::\d{12}:role\//.test(body.roleArn)) return send(400, { message: '"roleArn" must be an IAM role ARN' });
      standIn.registerRole(body.roleArn, { externalId: typeof body.externalId === 'string' ? body.externalId : undefined });
      return send(200, { roles: standIn.state().roles });
    }
    const b = /^\/__local\/partner-central\/benefit-applications\/(benappl-[0-9a-z]{14})(\/review)?$/.exec(path);
    if (b) {
      const [, benefitId = '', review] = b;
      try {
        if (!review && method === 'GET') return send(200, standIn.benefits.view(benefitId));
        if (review && method === 'POST') {
          const move = parseBenefitMove(body);
          if (typeof move === 'string') return send(400, { message: move });
          standIn.benefits.review(benefitId, move);
          return send(200, { benefitApplication: standIn.benefits.view(benefitId), next: 'No event is published locally for the Benefits API: the scheduled reconciliation brings the change (every 30 minutes in AWS).' });
        }
      } catch (error) {
        if (error instanceof ReviewerError) return send(error.status, { message: error.message });
        throw error;
      }
      return send(405, { message: `${method} ${path} is not supported` });
    }
    const m = /^\/__local\/partner-central\/opportunities\/(O\d+)(\/review|\/console-edit)?$/.exec(path);
    if (!m) return send(404, { message: `no local Partner Central endpoint ${method} ${path}` });
    const [, id = '', action] = m;
    try {
      if (!action && method === 'GET') return send(200, standIn.catalog.view(id));
    } catch (error) {
      if (error instanceof ReviewerError) return send(error.status, { message: error.message });
      throw error;
    }
    if (action === '/review' && method === 'POST') {
      const move = parseMove(body, standIn.selling.enumValues('ClosedLostReason'));
      if (typeof move === 'string') return send(400, { message: move });
      return change(send, body.event, () => {
        standIn.catalog.review(id, move);
        return standIn.catalog.view(id);
      });
    }
    if (action === '/console-edit' && method === 'POST') {
      const { event, ...members } = body;
      return change(send, event, () => {
        standIn.catalog.consoleEdit(id, members);
        return standIn.catalog.view(id);
      });
    }
    return send(405, { message: `${method} ${path} is not supported` });
  };
}
