/**
 * The zod-free twins of the operations queries and the partner function's inputs (functions/core/request-shapes.ts)
 * give the same value or the same `{ field, rule }` problems as their zod schemas (schemas/api-requests.ts, the
 * OpenAPI source), over a table of good and bad inputs.
 */
import { describe, expect, it } from 'vitest';
import { parseWith } from '../../schemas/issues.ts';
import * as Requests from '../../schemas/api-requests.ts';
import * as Shapes from '../../functions/core/request-shapes.ts';
import { checkInput, type InputShape } from '../../functions/core/input-shape.ts';

const notObjects: unknown[] = [null, 'text', [], 7, undefined];
const pages: unknown[] = [
  {}, { limit: '1' }, { limit: '100' }, { limit: '025' }, { limit: '0' }, { limit: '101' }, { limit: '999' }, { limit: '1000' },
  { limit: 'abc' }, { limit: '' }, { limit: '-1' }, { limit: '1.5' }, { limit: 5 }, { cursor: 'abc' }, { cursor: '' },
  { cursor: 'c'.repeat(4096) }, { cursor: 'c'.repeat(4097) }, { limit: '10', cursor: 'x', extra: '1', more: '' },
];

const cases: [string, () => unknown, InputShape<unknown>, unknown[]][] = [
  ['ListExecutionsQuery', Requests.ListExecutionsQuery, Shapes.ListExecutionsShape, [
    ...pages, ...notObjects, { status: 'RUNNING' }, { status: 'PENDING_REDRIVE', limit: '3' }, { status: 'running' }, { status: '' }, { status: ['RUNNING'] },
  ]],
  ['OpsApplicationsQuery', Requests.OpsApplicationsQuery, Shapes.OpsApplicationsShape, [
    ...pages, ...notObjects, { status: 'routed' }, { status: 'failed', order: 'newest', limit: '50', cursor: 'k' }, { status: 'routed', order: 'oldest' },
    { status: 'routed', order: 'sideways' }, { status: 'nope', order: 'x', limit: '0', cursor: '', y: '1' },
  ]],
  ['StoryQuery', Requests.StoryQuery, Shapes.StoryShape, [
    {}, { raw: '1' }, { raw: '0' }, { raw: 'true' }, { raw: 'false' }, { raw: 'yes' }, { raw: '' }, { raw: '1', x: '2' }, ...notObjects,
  ]],
  ['StuckQuery', Requests.StuckQuery, Shapes.StuckShape, [...pages, ...notObjects, { status: 'drafted' }, { status: 'drafted', limit: '7' }, { status: 'stuck' }]],
  ['FailedQuery', Requests.FailedQuery, Shapes.FailedShape, [...pages, ...notObjects, { status: 'failed' }]],
  ['PipelineQuery', Requests.PipelineQuery, Shapes.PipelineShape, [
    {}, { days: '1' }, { days: '30' }, { days: '366' }, { days: '367' }, { days: '0' }, { days: '1000' }, { days: 'week' }, { days: 30 }, { days: '7', x: '1' }, ...notObjects,
  ]],
  ['PartnerQueueQuery', Requests.PartnerQueueQuery, Shapes.PartnerQueueShape, [
    ...pages, ...notObjects, { status: 'in_partner_review' }, { status: 'in_partner_review', limit: '20', cursor: 'abc' }, { status: 'Routed' },
  ]],
  // A brief edit's merge patch: any JSON object (jsonBody refuses bad JSON, lone surrogates and deep nesting before it).
  ['BriefPatch', Requests.BriefPatch, Shapes.BriefPatchShape, [
    {}, { Project: { Title: 'New title' } }, { Customer: null, LifeCycle: { TargetCloseDate: '2027-01-31' } }, { '': 1, 1: 'one', constructor: 'x' },
    { Project: { ExpectedCustomerSpend: [{ Amount: '100', CurrencyCode: 'USD' }, null] }, a: { b: { c: { d: [[1, 'x', false, null]] } } } },
    { list: [], text: '', zero: 0, no: false }, ...notObjects, [{ Project: {} }], 0, false, true, '{}',
  ]],
  ['RequestChangesRequest', Requests.RequestChangesRequest, Shapes.RequestChangesShape, [
    { message: 'Please add the workload detail.' }, { message: '   padded, then long enough   ' }, { message: '  short    ' }, { message: 'm'.repeat(2000) },
    { message: 'm'.repeat(2001) }, { message: 12 }, {}, { message: 'Please add the workload detail.', reason: 'x' }, ...notObjects,
  ]],
  ['DeclineRequest', Requests.DeclineRequest, Shapes.DeclineShape, [
    { reason: 'Not a fit' }, { reason: ' no ' }, { reason: 'r'.repeat(1001) }, { reason: null }, {}, { reason: 'Not a fit', message: 'x' }, ...notObjects,
  ]],
  ['FiledRequest', Requests.FiledRequest, Shapes.FiledShape, [
    { opportunityId: 'O1234567' }, { opportunityId: 'O1', filedAt: '2026-12-01T12:00:00Z' }, { opportunityId: 'O1', filedAt: '2026-12-01T12:00:00.123+02:00' },
    { opportunityId: 'O1', filedAt: '2026-12-01' }, { opportunityId: 'o1' }, { opportunityId: 'O' }, { opportunityId: 5, filedAt: 5 }, {}, { opportunityId: 'O1', x: 1 },
    ...notObjects,
  ]],
  ['AwsReviewRequest', Requests.AwsReviewRequest, Shapes.AwsReviewShape, [
    { outcome: 'in-review' }, { outcome: 'in-review', comments: '  looking  ' }, { outcome: 'in-review', comments: '   ' }, { outcome: 'in-review', comments: 'c'.repeat(2001) },
    { outcome: 'action-required' }, { outcome: 'action-required', comments: 'Add the workload.' }, { outcome: 'action-required', comments: 3 },
    { outcome: 'approved', amountUsd: '25000.00', expiresOn: '2027-12-31' }, { outcome: 'approved', amountUsd: '25000.00', expiresOn: '2027-12-31', comments: 'ok' },
    { outcome: 'approved' }, { outcome: 'approved', amountUsd: '1.234', expiresOn: '2027-13-01' }, { outcome: 'approved', amountUsd: 25000, expiresOn: '2027-12-31' },
    { outcome: 'approved', amountUsd: '1', expiresOn: '2027-12-31', reason: 'Price' },
    { outcome: 'rejected', reason: 'Price' }, { outcome: 'rejected', reason: 'price' }, { outcome: 'rejected' }, { outcome: 'rejected', reason: 'Other', comments: 'why', extra: 1 },
    {}, { outcome: 'nope' }, { outcome: 5 }, { outcome: 'constructor' }, { outcome: 'toString' }, ...notObjects,
  ]],
  ['CreditsRequest', Requests.CreditsRequest, Shapes.CreditsShape, [
    { amountUsd: '25000', appliedOn: '2026-12-01', expiresOn: '2027-12-01' }, { amountUsd: '0.5', appliedOn: '2026-12-01', expiresOn: '2027-12-01' },
    { amountUsd: '-1', appliedOn: '2026-02-30', expiresOn: '27-12-01' }, { amountUsd: '01', appliedOn: '2026-00-01', expiresOn: '2027-12-32' },
    {}, { amountUsd: 1, appliedOn: 2, expiresOn: null }, { amountUsd: '1', appliedOn: '2026-12-01', expiresOn: '2027-12-01', note: 'x' }, ...notObjects,
  ]],
];

describe.each(cases)('%s and its zod-free twin', (_, schema, shape, inputs) => {
  it.each(inputs.map((input) => [JSON.stringify(input) ?? 'undefined', input]))('%s: the same value or the same problems', (_label, input) => {
    const expected = parseWith(schema() as Parameters<typeof parseWith>[0], input);
    expect(checkInput(shape, input)).toEqual(expected);
  });

  it('the table holds both good and bad inputs', () => {
    const answers = inputs.map((input) => parseWith(schema() as Parameters<typeof parseWith>[0], input).ok);
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });
});

describe('BriefPatch and its zod-free twin on bodies as JSON.parse reads them', () => {
  const bodies = [
    '{"__proto__":{"polluted":true},"Project":{"Title":"x"}}', '{"Project":{"__proto__":{"polluted":true}}}', '{"__proto__":null}',
    '{"constructor":{"prototype":{"polluted":true}}}', '{"toString":"x","hasOwnProperty":1}', '{"a":1,"a":2}',
  ];
  it.each(bodies)('%s: the same value, own keys and prototype', (text) => {
    const body = JSON.parse(text) as unknown;
    const expected = parseWith(Requests.BriefPatch(), body);
    const mine = checkInput(Shapes.BriefPatchShape, body);
    expect(mine).toStrictEqual(expected);
    if (!mine.ok || !expected.ok) throw new Error('a JSON object is a merge patch');
    expect(Object.keys(mine.value)).toEqual(Object.keys(expected.value));
    expect(Object.getPrototypeOf(mine.value)).toBe(Object.prototype);
    expect(Object.hasOwn(mine.value, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a nested `__proto__` member is kept as an own member, as zod keeps it, for the merge to refuse or apply', () => {
    const body = JSON.parse('{"Project":{"__proto__":{"polluted":true}}}') as unknown;
    const mine = checkInput(Shapes.BriefPatchShape, body);
    expect(mine.ok && Object.hasOwn(mine.value.Project as object, '__proto__')).toBe(true);
  });
});
