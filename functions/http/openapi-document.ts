/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers parse with, so the docs
 * cannot drift from the code. Served at GET /openapi.json and written to docs/openapi.json.
 */
import { toJSONSchema } from 'zod/v4/core';
import type * as z from 'zod/mini';
import { Worksheet } from '../../schemas/worksheet.ts';
import { Estimate } from '../../schemas/estimate.ts';
import { ErrorResponse, ExecutionsPage, FounderApplicationView, SubmitWorksheetResponse } from '../../schemas/api.ts';

function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ace-filing API',
      version: '0.1.0',
      description: 'Founders submit a worksheet; the service sizes a Bedrock credit ask, drafts ACE opportunity records and routes them to a vetted AWS partner. Errors always carry `problems: [{ field, rule }]` when input is at fault.',
    },
    components: {
      securitySchemes: {
        founderToken: { type: 'http', scheme: 'bearer', description: 'The founderToken returned by POST /worksheets.' },
        cognitoJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito (or local dev issuer) JWT; groups `partner` and `ops`, claim `custom:partnerId` for partners.' },
      },
      schemas: {
        Worksheet: schemaOf(Worksheet, 'input'),
        Estimate: schemaOf(Estimate, 'output'),
        SubmitWorksheetResponse: schemaOf(SubmitWorksheetResponse, 'output'),
        FounderApplicationView: schemaOf(FounderApplicationView, 'output'),
        ExecutionsPage: schemaOf(ExecutionsPage, 'output'),
        Error: schemaOf(ErrorResponse, 'output'),
      },
    },
    paths: {
      '/worksheets': {
        post: {
          summary: 'Submit a worksheet: stores the application and starts its workflow',
          operationId: 'submitWorksheet',
          parameters: [{
            name: 'Idempotency-Key', in: 'header', required: false,
            description: '8-128 characters. Repeating a request with the same key and worksheet returns the same application (with a fresh access token); the same key with a different worksheet is refused with 422.',
            schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
          }],
          requestBody: { required: true, content: jsonContent('Worksheet') },
          responses: {
            202: { description: 'Accepted: the workflow is running', content: jsonContent('SubmitWorksheetResponse') },
            400: errorResponse('The worksheet is invalid; `problems` names each field and rule'),
            413: errorResponse('The body is larger than 64 KiB'),
            422: errorResponse('The Idempotency-Key was used with a different worksheet'),
          },
        },
      },
      '/estimates': {
        post: {
          summary: 'Size a credit ask without saving anything',
          operationId: 'estimate',
          requestBody: { required: true, content: jsonContent('Worksheet') },
          responses: {
            200: { description: 'The forecast, program decisions and stacking plan', content: jsonContent('Estimate') },
            400: errorResponse('The worksheet is invalid'),
          },
        },
      },
      '/applications/{id}': {
        get: {
          summary: "The founder's view of an application: status, estimate, briefs and their validation, partner, timeline",
          operationId: 'getApplication',
          security: [{ founderToken: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'The application', content: jsonContent('FounderApplicationView') },
            401: errorResponse('No bearer token'),
            404: errorResponse('No such application for this token'),
          },
        },
      },
      '/ops/executions': {
        get: {
          summary: 'Workflow executions, newest first (ops role)',
          operationId: 'listExecutions',
          security: [{ cognitoJwt: [] }],
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor from the previous page' },
          ],
          responses: {
            200: { description: 'A page of executions', content: jsonContent('ExecutionsPage') },
            400: errorResponse('A query parameter is invalid'),
            401: errorResponse('No or invalid JWT'),
            403: errorResponse('Not in the ops group'),
          },
        },
      },
      '/openapi.json': {
        get: { summary: 'This document', operationId: 'openapi', responses: { 200: { description: 'OpenAPI 3.1 document' } } },
      },
    },
  };
}
