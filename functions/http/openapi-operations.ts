/** The operations routes of issue 9 in the OpenAPI document (functions/http/openapi-document.ts spreads these in). */
import { toJSONSchema } from 'zod/v4/core';
import type * as z from 'zod/mini';
import { APPLICATION_STATUSES } from '../../schemas/application.ts';
import { ActionRequest, ActionResponse, ApplicationStoryResponse, FailedPage, PipelineResponse, ReassignRequest, StuckPage } from '../../schemas/operations.ts';

function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

export function operationsSchemas(): Record<string, unknown> {
  return {
    ApplicationStory: schemaOf(ApplicationStoryResponse, 'output'),
    StuckPage: schemaOf(StuckPage, 'output'),
    FailedPage: schemaOf(FailedPage, 'output'),
    Pipeline: schemaOf(PipelineResponse, 'output'),
    OpsActionRequest: schemaOf(ActionRequest, 'input'),
    ReassignRequest: schemaOf(ReassignRequest, 'input'),
    OpsActionResponse: schemaOf(ActionResponse, 'output'),
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const content = (name: string) => ({ 'application/json': { schema: ref(name) } });
const error = (description: string) => ({ description, content: content('Error') });
const security = [{ cognitoJwt: [] }];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const page = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor from the previous page' },
];
const opsErrors = { 401: error('No or invalid JWT (a founder token is not a JWT)'), 403: error('Not in the ops group') };

function action(operationId: string, summary: string, body: string, conflict: string) {
  return {
    post: {
      summary, operationId, security, parameters: [idParam],
      requestBody: { required: true, content: content(body) },
      responses: {
        200: { description: 'Done, recorded as a transition with the operator as actor and the reason; a repeated request answers `applied: false`', content: content('OpsActionResponse') },
        400: error('The body is invalid (a reason is required); `problems` names each field and rule'),
        ...opsErrors,
        404: error('No such application (or partner)'),
        409: error(`${conflict}; \`currentState\` names the status`),
      },
    },
  };
}

export function operationsPaths(): Record<string, unknown> {
  return {
    '/ops/applications/{id}/story': {
      get: {
        summary: "An application's executions told in plain words (DescribeExecution + GetExecutionHistory), newest first; never a task token",
        operationId: 'getExecutionStory', security,
        parameters: [idParam, { name: 'raw', in: 'query', schema: { type: 'string', enum: ['1', 'true', '0', 'false'] }, description: '1: add the raw history events (without execution data, tokens redacted)' }],
        responses: { 200: { description: 'The story', content: content('ApplicationStory') }, 400: error('A query parameter is invalid'), ...opsErrors, 404: error('No such application') },
      },
    },
    '/ops/stuck': {
      get: {
        summary: 'Applications past their status threshold (data/stuck-thresholds.json), oldest first, each with why and what would unstick it',
        operationId: 'listStuck', security,
        parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: [...APPLICATION_STATUSES] } }, ...page],
        responses: { 200: { description: 'A page of stuck applications', content: content('StuckPage') }, 400: error('A query parameter is invalid'), ...opsErrors },
      },
    },
    '/ops/failed': {
      get: {
        summary: 'Failed applications, oldest first: the state that failed, error, cause, and what a redrive will do',
        operationId: 'listFailed', security, parameters: page,
        responses: { 200: { description: 'A page of failed applications', content: content('FailedPage') }, 400: error('A query parameter is invalid'), ...opsErrors },
      },
    },
    '/ops/pipeline': {
      get: {
        summary: 'Counts per status, time in status (median, p90), conversion and dollars, per-partner load, review time and approval rate',
        operationId: 'getPipeline', security,
        parameters: [{ name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 90, default: 30 }, description: 'The window for time in status, conversion and partner figures' }],
        responses: { 200: { description: 'The pipeline', content: content('Pipeline') }, 400: error('A query parameter is invalid'), ...opsErrors },
      },
    },
    '/ops/applications/{id}/redrive': action('redriveApplication', 'Redrive a failed application: back to the status it failed from, a new execution carries on from there', 'OpsActionRequest', 'Not failed'),
    '/ops/applications/{id}/reassign': action('reassignApplication', 'Reassign to another partner (slot booked, the old one released, both partners and the founder told)', 'ReassignRequest', 'Not waiting on a partner review (or unrouted), already with that partner, or the partner is at capacity'),
    '/ops/applications/{id}/cancel': action('cancelApplication', 'Cancel before credits (withdrawn by operations, the execution ended, the slot released, the founder told)', 'OpsActionRequest', 'Credits already applied, or already closed'),
    '/ops/applications/{id}/nudge': action('nudgeApplication', 'Resend the pending reminder to whoever must act (at most once a day)', 'OpsActionRequest', 'Nobody has a pending step in this status'),
    '/ops/board': {
      get: { summary: 'The live operations board (an HTML page; it asks for the ops JWT and calls the routes above)', operationId: 'opsBoard', responses: { 200: { description: 'text/html' } } },
    },
  };
}
