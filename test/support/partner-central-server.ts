/**
 * The Partner Central the tests talk to: the local stand-in `npm start` runs (lib/local/partner-central/), on a free
 * loopback port, so tests and the local runtime share one Partner Central. Around it, for the tests:
 *  - every request is recorded (target, body, the SigV4 access key id that signed it), and AssumeRole calls;
 *  - recorded AWS answers can be put in front of it: GetOpportunity per opportunity id and ListOpportunities pages from
 *    test/fixtures/partner-central/, and a recorded error for the next CreateOpportunity;
 *  - Step Functions SendTaskSuccess (AWS JSON 1.0, `AWSStepFunctions.SendTaskSuccess`): recorded; a token used once
 *    answers InvalidToken afterwards, like the service.
 * Roles named AceFilingPartnerCentral* count as registered unless `registeredOnly` (then registerRole them).
 * Point the SDK at it with AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING, AWS_ENDPOINT_URL_PARTNERCENTRAL_BENEFITS,
 * AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_SFN (the Benefits API goes straight to the stand-in).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PartnerCentralEvent } from '../../lib/local/partner-central/catalog.ts';
import { PartnerCentralStandIn, readBody, send, wireRequestOf, type Pace, type WireResponse } from '../../lib/local/partner-central/server.ts';

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/partner-central/${name}.json`, import.meta.url), 'utf8')) as T;
}

export interface RecordedCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
  /** The access key id in the SigV4 Authorization header. */
  readonly accessKeyId: string | undefined;
}

export interface FixtureServer {
  readonly endpoint: string;
  /** The local Partner Central behind the recorded answers. */
  readonly standIn: PartnerCentralStandIn;
  readonly calls: RecordedCall[];
  /** AssumeRole requests: role ARN and external id. */
  readonly assumed: { roleArn: string; externalId: string | undefined }[];
  /** Events the stand-in published (Opportunity Created / Updated), oldest first. */
  readonly events: PartnerCentralEvent[];
  /** Opportunities CreateOpportunity made, by ClientToken. */
  readonly created: Map<string, string>;
  /** Recorded GetOpportunity answers per opportunity id: a fixture name (its Id is replaced by the one asked for). */
  readonly opportunities: Map<string, string>;
  /** Recorded ListOpportunities pages in order (fixture names); NextToken of page n leads to page n + 1. Empty: the stand-in answers. */
  listPages: string[];
  /** The next CreateOpportunity answers with this recorded error (then back to normal). */
  failNextCreateWith: { status: number; fixture: string } | undefined;
  callsOf(target: string): RecordedCall[];
  stop(): Promise<void>;
}

function sendJson(status: number, body: unknown, errorType?: string): WireResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0', ...(errorType ? { 'x-amzn-errortype': errorType } : {}), 'x-amzn-requestid': 'fixture' }, body: JSON.stringify(body) };
}

/** The state machine the use cases name in these tests (the stand-in answers its SendTaskSuccess). */
export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:AceFiling';

/** Points the SDK's DynamoDB, Partner Central, STS and Step Functions clients at dynalite and the stand-in. */
export function useLocalPartnerCentral(table: { endpoint: string; tableName: string }, server: { endpoint: string }): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING: server.endpoint,
    AWS_ENDPOINT_URL_STS: server.endpoint,
    AWS_ENDPOINT_URL_SFN: server.endpoint,
    TABLE_NAME: table.tableName,
    STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ARN,
    ACE_CATALOG: 'Sandbox',
  });
}

export async function startFixtureServer(opts: { now?: () => number; pace?: Pace; registeredOnly?: boolean; onEvent?: (event: PartnerCentralEvent) => void } = {}): Promise<FixtureServer> {
  const events: PartnerCentralEvent[] = [];
  const standIn = new PartnerCentralStandIn({
    openRegistration: !opts.registeredOnly,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.pace ? { pace: opts.pace } : {}),
    publish: (event) => {
      events.push(event);
      opts.onEvent?.(event);
    },
  });
  const state = {
    standIn,
    calls: [] as RecordedCall[],
    assumed: [] as { roleArn: string; externalId: string | undefined }[],
    events,
    opportunities: new Map<string, string>(),
    listPages: [] as string[],
    failNextCreateWith: undefined as { status: number; fixture: string } | undefined,
    get created() {
      return standIn.catalog.clientTokens();
    },
    callsOf: (target: string) => state.calls.filter((c) => c.target === target),
  };
  const spentTokens = new Set<string>();

  const answer = async (target: string, raw: string, wire: ReturnType<typeof wireRequestOf>): Promise<WireResponse> => {
    if (!target) {
      const form = new URLSearchParams(raw);
      if (form.get('Action') === 'AssumeRole') state.assumed.push({ roleArn: form.get('RoleArn') ?? '', externalId: form.get('ExternalId') ?? undefined });
      return standIn.handle(wire);
    }
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    state.calls.push({ target, body, accessKeyId: /Credential=([^/]+)\//.exec(wire.authorization)?.[1] });
    if (target === 'AWSStepFunctions.SendTaskSuccess') {
      const token = String(body.taskToken);
      if (spentTokens.has(token)) return sendJson(400, { __type: 'InvalidToken', message: 'Task token already used' }, 'InvalidToken');
      spentTokens.add(token);
      return sendJson(200, {});
    }
    if (target === 'AWSPartnerCentralSelling.CreateOpportunity' && state.failNextCreateWith) {
      const { status, fixture: name } = state.failNextCreateWith;
      state.failNextCreateWith = undefined;
      const error = fixture(name);
      return sendJson(status, error, String(error.__type).split('#')[1]);
    }
    const recordedOpportunity = target === 'AWSPartnerCentralSelling.GetOpportunity' ? state.opportunities.get(String(body.Identifier)) : undefined;
    if (recordedOpportunity) return sendJson(200, { ...fixture<Record<string, unknown>>(recordedOpportunity), Id: body.Identifier, Catalog: body.Catalog });
    if (target === 'AWSPartnerCentralSelling.ListOpportunities' && state.listPages.length > 0) {
      const index = body.NextToken ? state.listPages.findIndex((_, i) => i > 0 && fixture(state.listPages[i - 1]!).NextToken === body.NextToken) : 0;
      const name = state.listPages[index];
      return sendJson(200, name ? fixture(name) : { OpportunitySummaries: [] });
    }
    return standIn.handle(wire);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const wire = wireRequestOf(req, raw);
      send(res, await answer(wire.target, raw, wire));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    endpoint,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FixtureServer;
}
