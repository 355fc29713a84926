/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers parse with, so the docs
 * cannot drift from the code. Served at GET /openapi.json and written to docs/openapi.json.
 */
import { toJSONSchema } from 'zod/v4/core';
import type * as z from 'zod/mini';
import { Worksheet } from '../../schemas/worksheet.ts';
import { Estimate } from '../../schemas/estimate.ts';
import {
  ApplicationStatusResponse, AwsReviewRequest, ConfirmAddressRequest, ConfirmAddressResponse, ResendConfirmationResponse, EXECUTION_STATUSES, BriefPatch, CreditsRequest, DeclineRequest, DecisionResponse, ErrorResponse,
  ExecutionsPage, FiledRequest, FounderApplicationView, OpsApplicationDetail, OpsApplicationsPage, PartnerApplicationView, PartnerBriefView, PartnerQueuePage,
  RecordResponse, RequestChangesRequest, SubmitWorksheetResponse,
} from '../../schemas/api.ts';
import { APPLICATION_STATUSES } from '../../schemas/application.ts';
import {
  FiledViaApiResponse, FundingPatch, FundingSubmitResponse, FundingView, OpportunityViaApiResponse, SubmitViaApiRequest, SubmitViaApiResponse,
  UpdateViaApiRequest, UpdateViaApiResponse,
} from '../../schemas/partner-central-messages.ts';
import { operationsPaths, operationsSchemas } from './openapi-operations.ts';

function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The worksheet as a standalone JSON Schema (draft 2020-12), published at schemas/worksheet.schema.json. */
export function worksheetJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://ace-filing.example/schemas/worksheet.schema.json',
    title: 'ace-filing founder worksheet',
    description: 'What a founder supplies to size a Bedrock credit ask and draft ACE records. Cross-field rules (model shares add up to 1, each model listed once whatever its routing prefix, a US address needs a state and ZIP code, a defined POC needs a success metric, ...) are checked by the API and named in its 400 answers.',
    ...schemaOf(Worksheet, 'input'),
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const programParam = { name: 'programId', in: 'path', required: true, schema: { type: 'string' }, description: 'The stacked program of the ACE record, e.g. bedrock-poc' };
const partnerAuthErrors = {
  401: errorResponse('No or invalid JWT'),
  403: errorResponse('Not in the partner group, or no custom:partnerId claim'),
  404: errorResponse('No such application among the ones assigned to you (or no such brief)'),
};

/** The partner's routes (JWT, group `partner`, claim `custom:partnerId`); every one sees only the caller's applications. */
function partnerPaths(): Record<string, unknown> {
  const security = [{ cognitoJwt: [] }];
  const decision = (operationId: string, summary: string, body: string | undefined, extra: Record<number, unknown>) => ({
    post: {
      summary, operationId, security, parameters: [idParam],
      ...(body ? { requestBody: { required: true, content: jsonContent(body) } } : {}),
      responses: {
        200: { description: 'Recorded, and the workflow resumed. A repeated request by the same partner answers the same 200 (and repeats the callback).', content: jsonContent('DecisionResponse') },
        ...(body ? { 400: errorResponse('The body is invalid; `problems` names each field and rule') } : {}),
        ...partnerAuthErrors,
        409: errorResponse('The application is not in partner review (another decision was recorded); `currentState` names it'),
        ...extra,
      },
    },
  });
  const record = (operationId: string, summary: string, body: string) => ({
    post: {
      summary, operationId, security, parameters: [idParam, programParam],
      requestBody: { required: true, content: jsonContent(body) },
      responses: {
        200: { description: 'The record after the change (a repeated identical request answers the same)', content: jsonContent('RecordResponse') },
        400: errorResponse('The body is invalid; `problems` names each field and rule'),
        ...partnerAuthErrors,
        409: errorResponse("The record's status does not allow this change; `currentState` names it"),
      },
    },
  });
  return {
    '/partner/applications': {
      get: {
        summary: 'Your applications: with `status` (e.g. in_partner_review, your review queue) oldest first; without it grouped by status, oldest first within each',
        operationId: 'partnerQueue',
        security,
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: [...APPLICATION_STATUSES] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor from the previous page' },
        ],
        responses: {
          200: { description: 'A page of your applications', content: jsonContent('PartnerQueuePage') },
          400: errorResponse('A query parameter is invalid'),
          401: partnerAuthErrors[401],
          403: partnerAuthErrors[403],
        },
      },
    },
    '/partner/applications/{id}': {
      get: {
        summary: 'An application: worksheet, estimate, briefs with validation reports and ETags, record statuses, timeline, likely duplicates',
        operationId: 'partnerApplication',
        security,
        parameters: [idParam],
        responses: {
          200: { description: 'The application', content: jsonContent('PartnerApplicationView') },
          409: errorResponse("Back with the founder: a revision changed the contact address or the AWS account, and the application returns to your queue once the founder confirms it from the contact address (every partner route answers this meanwhile); `currentState` names the status"),
          ...partnerAuthErrors,
        },
      },
    },
    '/partner/applications/{id}/briefs/{programId}': {
      patch: {
        summary: 'Edit a brief: JSON Merge Patch (RFC 7396) on its CreateOpportunity body, re-validated at once',
        description: 'Allowed while the record is a draft in partner review, or in Action Required (then only the fields ACE lets a partner change: address, WebsiteUrl, TargetCloseDate, expected spend Amount/CurrencyCode, CustomerBusinessProblem, PartnerOpportunityIdentifier). Catalog and ClientToken are set by the service.',
        operationId: 'patchBrief',
        security,
        parameters: [idParam, programParam, { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'The ETag of the brief as last read' }],
        requestBody: { required: true, content: { 'application/merge-patch+json': { schema: ref('BriefPatch') }, 'application/json': { schema: ref('BriefPatch') } } },
        responses: {
          200: { description: 'The brief with its new ETag (header and body) and its validation problems', content: jsonContent('PartnerBriefView') },
          400: errorResponse('The patch changes a field that cannot change now; `problems` names each field and rule'),
          ...partnerAuthErrors,
          409: errorResponse('The record cannot be edited in its status; `currentState` names it'),
          412: errorResponse('The brief changed since you read it; `currentETag` (and the ETag header) carry the current one'),
          428: errorResponse('If-Match is missing'),
        },
      },
    },
    '/partner/applications/{id}/briefs/{programId}/create-opportunity': {
      get: {
        summary: 'Export the exact Partner Central CreateOpportunity request body of the record',
        operationId: 'exportCreateOpportunity',
        security,
        parameters: [idParam, programParam],
        responses: { 200: { description: 'The CreateOpportunity body', content: { 'application/json': { schema: { type: 'object' } } } }, ...partnerAuthErrors },
      },
    },
    '/partner/applications/{id}/approve': decision('approvePartnerReview', 'Approve every record for filing (all briefs must pass validation)', undefined, {
      422: errorResponse('A brief has validation problems; `problems` names each (briefs.<programId>.<field>)'),
    }),
    '/partner/applications/{id}/request-changes': decision('requestChanges', 'Ask the founder for changes (the message is shown to them)', 'RequestChangesRequest', {}),
    '/partner/applications/{id}/decline': decision('declineReview', 'Decline: the application is routed to the next partner', 'DeclineRequest', {}),
    '/partner/applications/{id}/briefs/{programId}/filed': record('markFiled', "Record the record as filed by hand with its ACE opportunity id (O + digits); the same id again is harmless, another id is 409", 'FiledRequest'),
    '/partner/applications/{id}/briefs/{programId}/aws-review': record('recordAwsReview', "Record AWS's review outcome: in review, Action Required (comments), Approved (amount, expiry), Rejected (closed-lost reason)", 'AwsReviewRequest'),
    '/partner/applications/{id}/briefs/{programId}/credits': record('recordCredits', 'Record the credits applied (amount, date, expiry)', 'CreditsRequest'),
    '/partner/applications/{id}/briefs/{programId}/file-via-api': {
      post: {
        summary: "File the record through the Partner Central Selling API with the role you registered (your catalog, the stored body's ClientToken: a repeat never creates a second opportunity). Then submit it for AWS review with …/submit-via-api; AWS's review status then follows by itself.",
        operationId: 'fileViaApi',
        security,
        parameters: [idParam, programParam],
        responses: {
          200: { description: 'Filed (or already filed through the API: the same opportunity id)', content: jsonContent('FiledViaApiResponse') },
          ...partnerAuthErrors,
          403: errorResponse('Not in the partner group, or Partner Central / STS denied your registered role (named in the message)'),
          409: errorResponse("The record is not approved for filing (`currentState` names its status), or Partner Central reports a conflict"),
          422: errorResponse('No role registered, or Partner Central refused the record: `problems` lists its ValidationException ErrorList (FieldName, message and code)'),
          429: errorResponse('One Partner Central write per second per partner account: retry after the Retry-After header'),
        },
      },
    },
    '/partner/applications/{id}/briefs/{programId}/submit-via-api': {
      post: {
        summary: "Submit the opportunity filed through the API for AWS review (again after Action Required): associates a solution (the one named, else your profile's, else your only Active one; ListSolutions + AssociateOpportunity), then SubmitOpportunity with InvolvementType (default Co-Sell) and Visibility (default Full), explained in the answer. Idempotent: Partner Central is read first, nothing is sent twice.",
        operationId: 'submitViaApi',
        security,
        parameters: [idParam, programParam],
        requestBody: { required: false, content: jsonContent('SubmitViaApiRequest') },
        responses: {
          200: { description: 'Submitted (the record is in_aws_review), or already with AWS (`replayed`)', content: jsonContent('SubmitViaApiResponse') },
          ...partnerAuthErrors,
          403: errorResponse('Not in the partner group, or Partner Central / STS denied your registered role'),
          409: errorResponse('The record was not filed through the API, or is not filed / in Action Required (`currentState`)'),
          422: errorResponse('No role registered, no (or an unknown) solution, or Partner Central refused the submission: `problems` lists its ErrorList'),
          429: errorResponse('One Partner Central write per second per partner account: retry after the Retry-After header'),
        },
      },
    },
    '/partner/applications/{id}/briefs/{programId}/opportunity': {
      get: {
        summary: 'The opportunity as Partner Central has it now (GetOpportunity with your role): review status and comments, and the lastModifiedDate an update must be based on',
        operationId: 'readOpportunityViaApi',
        security,
        parameters: [idParam, programParam],
        responses: {
          200: { description: 'The opportunity', content: jsonContent('OpportunityViaApiResponse') },
          ...partnerAuthErrors,
          403: errorResponse('Not in the partner group, or Partner Central denied your registered role'),
        },
      },
    },
    '/partner/applications/{id}/briefs/{programId}/funding': {
      get: {
        summary: "The record's funding request through the Partner Central Benefits API: the CreateBenefitApplication body drafted when AWS approved the opportunity (programs listed in data/benefits.json), its Benefits-model problems, its status beside the record's, AWS's review and the allocation",
        operationId: 'readFunding',
        security,
        parameters: [idParam, programParam],
        responses: {
          200: { description: 'The funding request, with its ETag (header and body)', content: jsonContent('FundingView') },
          ...partnerAuthErrors,
          404: errorResponse('Not your application, or the record has no funding request (its program is not funded through the Benefits API, or its opportunity is not approved yet)'),
        },
      },
      patch: {
        summary: 'Edit the funding request: JSON Merge Patch (RFC 7396) on its CreateBenefitApplication body with If-Match, re-checked against the Benefits model at once',
        description: 'Allowed while drafted, or in Action Required (then only what UpdateBenefitApplication changes: Name, Description, BenefitApplicationDetails, PartnerContacts, FileDetails). Catalog, ClientToken and AssociatedResources are set by the service.',
        operationId: 'patchFunding',
        security,
        parameters: [idParam, programParam, { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'The ETag of the funding request as last read' }],
        requestBody: { required: true, content: { 'application/merge-patch+json': { schema: ref('FundingPatch') }, 'application/json': { schema: ref('FundingPatch') } } },
        responses: {
          200: { description: 'The funding request with its new ETag and problems', content: jsonContent('FundingView') },
          400: errorResponse('The patch changes a field that cannot change now; `problems` names each field and rule'),
          ...partnerAuthErrors,
          409: errorResponse('The funding request cannot be edited in its status; `currentState` names it'),
          412: errorResponse('The funding request changed since you read it; `currentETag` carries the current one'),
          428: errorResponse('If-Match is missing'),
        },
      },
    },
    '/partner/applications/{id}/briefs/{programId}/funding/submit-via-api': {
      post: {
        summary: 'Send the funding request with your role (your catalog, Sandbox unless configured): CreateBenefitApplication (the record\'s ClientToken: a repeat never creates a second), AssociateBenefitApplicationResource with the ACE opportunity\'s ARN, SubmitBenefitApplication; after Action Required, UpdateBenefitApplication with your edits, then resubmit. Each step is read first and taken once, each write in your account\'s write slot. AWS\'s decision and the allocation (credits applied, amount, start, expiry) then arrive by themselves.',
        operationId: 'submitFundingViaApi',
        security,
        parameters: [idParam, programParam],
        responses: {
          200: { description: 'Sent (the funding request is submitted), or already with AWS (`replayed`)', content: jsonContent('FundingSubmitResponse') },
          ...partnerAuthErrors,
          403: errorResponse('Not in the partner group, or Partner Central / STS denied your registered role'),
          404: errorResponse('Not your application, or the record has no funding request'),
          409: errorResponse('The record has no opportunity, another request is sending it right now (retry in a few seconds), or Partner Central reports a conflict'),
          422: errorResponse('The body breaks the Benefits model, no role registered, or Partner Central refused it: `problems` names each field'),
          429: errorResponse('One Partner Central write per second per partner account: retry after the Retry-After header'),
        },
      },
    },
    '/partner/applications/{id}/briefs/{programId}/update-via-api': {
      post: {
        summary: 'Under Action Required, change the opportunity through UpdateOpportunity, based on the lastModifiedDate you read: a change made since (e.g. in the console) is refused with 409, never overwritten. Then resubmit with …/submit-via-api.',
        operationId: 'updateViaApi',
        security,
        parameters: [idParam, programParam],
        requestBody: { required: true, content: jsonContent('UpdateViaApiRequest') },
        responses: {
          200: { description: 'Updated: the new lastModifiedDate; the change is recorded in the timeline and copied into the brief (its new revision). A repeat after Partner Central took the change sends nothing again (`replayed`).', content: jsonContent('UpdateViaApiResponse') },
          ...partnerAuthErrors,
          403: errorResponse('Not in the partner group, or Partner Central denied your registered role'),
          409: errorResponse('The record is not in Action Required, or the opportunity changed after `basedOn` (the message names when)'),
          422: errorResponse('A member a partner may not update, a member that does not fit the opportunity model (each sent is checked whole; nothing is sent), or Partner Central refused the change: `problems` lists each field'),
          429: errorResponse('One Partner Central write per second per partner account: retry after the Retry-After header'),
        },
      },
    },
  };
}

export function openApiDocument(): Record<string, unknown> {
  return withMediaTypeErrors({
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
        OpsApplicationsPage: schemaOf(OpsApplicationsPage, 'output'),
        OpsApplicationDetail: schemaOf(OpsApplicationDetail, 'output'),
        ApplicationStatusResponse: schemaOf(ApplicationStatusResponse, 'output'),
        ConfirmAddressRequest: schemaOf(ConfirmAddressRequest, 'input'),
        ConfirmAddressResponse: schemaOf(ConfirmAddressResponse, 'output'),
        ResendConfirmationResponse: schemaOf(ResendConfirmationResponse, 'output'),
        PartnerQueuePage: schemaOf(PartnerQueuePage, 'output'),
        PartnerApplicationView: schemaOf(PartnerApplicationView, 'output'),
        PartnerBriefView: schemaOf(PartnerBriefView, 'output'),
        BriefPatch: schemaOf(BriefPatch, 'input'),
        RequestChangesRequest: schemaOf(RequestChangesRequest, 'input'),
        DeclineRequest: schemaOf(DeclineRequest, 'input'),
        DecisionResponse: schemaOf(DecisionResponse, 'output'),
        FiledRequest: schemaOf(FiledRequest, 'input'),
        AwsReviewRequest: schemaOf(AwsReviewRequest, 'input'),
        CreditsRequest: schemaOf(CreditsRequest, 'input'),
        RecordResponse: schemaOf(RecordResponse, 'output'),
        FiledViaApiResponse: schemaOf(FiledViaApiResponse, 'output'),
        FundingView: schemaOf(FundingView, 'output'),
        FundingPatch: schemaOf(FundingPatch, 'input'),
        FundingSubmitResponse: schemaOf(FundingSubmitResponse, 'output'),
        SubmitViaApiRequest: schemaOf(SubmitViaApiRequest, 'input'),
        SubmitViaApiResponse: schemaOf(SubmitViaApiResponse, 'output'),
        OpportunityViaApiResponse: schemaOf(OpportunityViaApiResponse, 'output'),
        UpdateViaApiRequest: schemaOf(UpdateViaApiRequest, 'input'),
        UpdateViaApiResponse: schemaOf(UpdateViaApiResponse, 'output'),
        Error: schemaOf(ErrorResponse, 'output'),
        ...operationsSchemas(),
      },
    },
    paths: {
      '/worksheets': {
        post: {
          summary: 'Submit a worksheet: stores the application and starts its workflow',
          operationId: 'submitWorksheet',
          parameters: [{
            name: 'Idempotency-Key', in: 'header', required: false,
            description: '8-128 characters. Repeating a request with the same key and worksheet returns the same application with a new access token (every token issued keeps working; after 10 tokens a further repeat is refused with 409); the same key with a different worksheet is refused with 422.',
            schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
          }],
          requestBody: { required: true, content: jsonContent('Worksheet') },
          responses: {
            202: { description: 'Accepted: the workflow is running', content: jsonContent('SubmitWorksheetResponse') },
            400: errorResponse('The worksheet is invalid; `problems` names each field and rule'),
            409: errorResponse('The Idempotency-Key was already answered with 10 founder tokens: use one of them'),
            413: errorResponse('The body is larger than 64 KiB'),
            422: errorResponse('The Idempotency-Key was used with a different worksheet'),
            429: errorResponse('Too many worksheets from this network today (per IPv4 address or IPv6 /64 and UTC day; a replay of a stored Idempotency-Key is not counted), or too many open applications for this contact address (every spelling that reaches the same inbox counts: plus tags, and dots on Gmail; the AWS account and mail domain limits apply at confirmation); the message says which, `Retry-After` when to try again. API Gateway\'s own throttle also answers 429, without a body of this shape'),
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
          parameters: [idParam],
          responses: {
            200: { description: 'The application, with each record\'s status and the credits granted', content: jsonContent('FounderApplicationView') },
            401: errorResponse('No bearer token'),
            404: errorResponse('No such application for this token'),
          },
        },
      },
      '/applications/{id}/revisions': {
        post: {
          summary: 'Answer a change request with the revised worksheet (re-sized, re-drafted, back to the same partner)',
          description: 'A revision that changes the contact address or the AWS account is confirmed from the (new) contact address before it goes back to the partner: a confirmation mail goes out as at intake, and confirming claims the open-application slots of the mailbox, mail domain and AWS account (429 there names a full one).',
          operationId: 'reviseApplication',
          security: [{ founderToken: [] }],
          parameters: [idParam],
          requestBody: { required: true, content: jsonContent('Worksheet') },
          responses: {
            200: { description: 'Revision accepted (status `submitted`); a repeated request answers the same', content: jsonContent('ApplicationStatusResponse') },
            400: errorResponse('The worksheet is invalid; `problems` names each field and rule'),
            401: errorResponse('No bearer token'),
            404: errorResponse('No such application for this token'),
            409: errorResponse('No change request is open; `currentState` names the status'),
          },
        },
      },
      '/applications/{id}/withdraw': {
        post: {
          summary: 'Withdraw the application any time before filing (frees the partner, stops the workflow)',
          operationId: 'withdrawApplication',
          security: [{ founderToken: [] }],
          parameters: [idParam],
          responses: {
            200: { description: 'Withdrawn; a repeated request answers the same', content: jsonContent('ApplicationStatusResponse') },
            401: errorResponse('No bearer token'),
            404: errorResponse('No such application for this token'),
            409: errorResponse('Already filed (or failed); `currentState` names the status'),
          },
        },
      },
      '/applications/{id}/confirm-email': {
        get: {
          summary: 'The page the confirmation mail links to (HTML): changes nothing; its script posts the secret from the URL fragment when the founder presses the button',
          operationId: 'addressConfirmationPage',
          parameters: [idParam],
          responses: { 200: { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
        post: {
          summary: "Confirm the founder's address with the single-use secret from the mail; only then is the application routed",
          operationId: 'confirmAddress',
          parameters: [idParam],
          requestBody: { required: true, content: jsonContent('ConfirmAddressRequest') },
          responses: {
            200: { description: 'Confirmed (a repeated request with the same secret answers the same, `replayed: true`)', content: jsonContent('ConfirmAddressResponse') },
            400: errorResponse('The body is not `{ secret }` with a secret of the right shape'),
            404: errorResponse('The secret is wrong, already used, expired, or the application no longer waits for it'),
            429: errorResponse('The contact address\'s mail domain (10 by default; public mail services such as gmail.com have no such limit) or the AWS account (5) already has its limit of confirmed open applications: nothing was confirmed and the link stays valid until it expires; `Retry-After` says when to try again. API Gateway\'s own throttle also answers 429, without a body of this shape'),
          },
        },
      },
      '/applications/{id}/confirm-email/resend': {
        post: {
          summary: 'Send a new confirmation mail (the previous link stops working); at most 3 per application and 5 a day per address',
          operationId: 'resendAddressConfirmation',
          security: [{ founderToken: [] }],
          parameters: [idParam],
          responses: {
            202: { description: 'The workflow sends a new mail', content: jsonContent('ResendConfirmationResponse') },
            401: errorResponse('No bearer token'),
            404: errorResponse('No such application for this token'),
            409: errorResponse('Already confirmed, no longer waiting, or the resends of this application are used up'),
            429: errorResponse('Too many confirmation mails to this address today (`Retry-After`)'),
          },
        },
      },
      ...partnerPaths(),
      '/ops/applications': {
        get: {
          summary: 'Applications in a status, oldest first (ops role): the unrouted queue, failures and stuck ones, each with how long and why',
          operationId: 'listApplicationsByStatus',
          security: [{ cognitoJwt: [] }],
          parameters: [
            { name: 'status', in: 'query', required: true, schema: { type: 'string', enum: [...APPLICATION_STATUSES] } },
            { name: 'order', in: 'query', schema: { type: 'string', enum: ['oldest', 'newest'], default: 'oldest' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor from the previous page' },
          ],
          responses: {
            200: { description: 'A page of applications', content: jsonContent('OpsApplicationsPage') },
            400: errorResponse('A query parameter is invalid'),
            401: errorResponse('No or invalid JWT'),
            403: errorResponse('Not in the ops group'),
          },
        },
      },
      '/ops/applications/{id}': {
        get: {
          summary: 'One application as operations see it: status, hours in status, reason, failure, records, partners passed over, timeline',
          operationId: 'getApplicationForOps',
          security: [{ cognitoJwt: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'The application', content: jsonContent('OpsApplicationDetail') },
            401: errorResponse('No or invalid JWT'),
            403: errorResponse('Not in the ops group'),
            404: errorResponse('No such application'),
          },
        },
      },
      '/ops/executions': {
        get: {
          summary: 'Workflow executions, newest first (ops role)',
          operationId: 'listExecutions',
          security: [{ cognitoJwt: [] }],
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: [...EXECUTION_STATUSES] } },
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
      ...operationsPaths(),
      '/openapi.json': {
        get: { summary: 'This document', operationId: 'openapi', responses: { 200: { description: 'OpenAPI 3.1 document' } } },
      },
    },
  });
}

/** Every operation that takes a body refuses other media types with 415 (functions/http/middleware.ts `jsonBody`). */
function withMediaTypeErrors<T extends { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<number, unknown> }>> }>(doc: T): T {
  for (const operations of Object.values(doc.paths)) {
    for (const op of Object.values(operations)) {
      if (!op.requestBody) continue;
      op.responses[415] = errorResponse(`The body is not sent as ${Object.keys(op.requestBody.content).join(' or ')}`);
    }
  }
  return doc;
}
