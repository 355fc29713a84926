/**
 * A fixture server for the Partner Central tests, on a free loopback port, answering three AWS protocols:
 *  - Partner Central Selling, AWS JSON 1.0: `POST /`, `x-amz-target: AWSPartnerCentralSelling.<Operation>`
 *    (CreateOpportunity with ClientToken idempotency, GetOpportunity, ListOpportunities) from the recorded fixtures in
 *    test/fixtures/partner-central/, errors as `{ "__type": ... }` bodies with the model's HTTP status;
 *  - STS AssumeRole, query protocol (form-encoded request, XML response) with fixed temporary credentials;
 *  - Step Functions SendTaskSuccess (AWS JSON 1.0, `AWSStepFunctions.SendTaskSuccess`): recorded; a token used once
 *    answers InvalidToken afterwards, like the service.
 * Point the SDK at it with AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING, AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_SFN.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/partner-central/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** The temporary credentials the STS stand-in hands out (Partner Central requests must be signed with them). */
export const ASSUMED_ACCESS_KEY_ID = 'ASIAFIXTUREPARTNER01';

export interface RecordedCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
  /** The access key id in the SigV4 Authorization header. */
  readonly accessKeyId: string | undefined;
}

export interface FixtureServer {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  /** AssumeRole requests: role ARN and external id. */
  readonly assumed: { roleArn: string; externalId: string | undefined }[];
  /** Opportunities CreateOpportunity made, by ClientToken. */
  readonly created: Map<string, string>;
  /** GetOpportunity answers per opportunity id: a fixture name (its Id is replaced by the one asked for). */
  readonly opportunities: Map<string, string>;
  /** ListOpportunities pages in order (fixture names); NextToken of page n leads to page n + 1. */
  listPages: string[];
  /** The next CreateOpportunity answers with this error fixture (then back to normal). */
  failNextCreateWith: { status: number; fixture: string } | undefined;
  callsOf(target: string): RecordedCall[];
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...(errorType ? { 'x-amzn-errortype': errorType } : {}), 'x-amzn-requestid': 'fixture' });
  res.end(JSON.stringify(body));
}

function assumeRoleXml(roleArn: string): string {
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROAFIXTUREROLE00001:ace-filing</AssumedRoleId>
      <Arn>${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/ace-filing</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${ASSUMED_ACCESS_KEY_ID}</AccessKeyId>
      <SecretAccessKey>fixture/secret/access/key/0000000000000000</SecretAccessKey>
      <SessionToken>FwoGZXIvYXdzEFixtureSessionToken</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const state: Omit<FixtureServer, 'endpoint' | 'stop'> = {
    calls: [],
    assumed: [],
    created: new Map(),
    opportunities: new Map(),
    listPages: [],
    failNextCreateWith: undefined,
    callsOf: (target) => state.calls.filter((c) => c.target === target),
  };
  const spentTokens = new Set<string>();
  let nextId = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
      if (!target) {
        // STS, query protocol.
        const form = new URLSearchParams(raw);
        if (form.get('Action') !== 'AssumeRole') return sendJson(res, 400, { message: `unsupported ${form.get('Action')}` });
        const roleArn = form.get('RoleArn') ?? '';
        state.assumed.push({ roleArn, externalId: form.get('ExternalId') ?? undefined });
        res.writeHead(200, { 'content-type': 'text/xml' });
        return res.end(assumeRoleXml(roleArn));
      }
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      state.calls.push({ target, body, accessKeyId });
      switch (target) {
        case 'AWSStepFunctions.SendTaskSuccess': {
          const token = String(body.taskToken);
          if (spentTokens.has(token)) return sendJson(res, 400, { __type: 'InvalidToken', message: 'Task token already used' }, 'InvalidToken');
          spentTokens.add(token);
          return sendJson(res, 200, {});
        }
        case 'AWSPartnerCentralSelling.CreateOpportunity': {
          if (state.failNextCreateWith) {
            const { status, fixture: name } = state.failNextCreateWith;
            state.failNextCreateWith = undefined;
            const error = fixture(name);
            return sendJson(res, status, error, String(error.__type).split('#')[1]);
          }
          const token = String(body.ClientToken);
          const recorded = fixture('create-opportunity');
          let id = state.created.get(token);
          if (!id) {
            id = nextId === 0 ? String(recorded.Id) : `O${5550001 + nextId}`;
            nextId += 1;
            state.created.set(token, id);
          }
          return sendJson(res, 200, { ...recorded, Id: id });
        }
        case 'AWSPartnerCentralSelling.GetOpportunity': {
          const id = String(body.Identifier);
          const name = state.opportunities.get(id);
          if (!name) return sendJson(res, 404, { __type: 'com.amazonaws.partnercentralselling#ResourceNotFoundException', Message: `No opportunity ${id}` }, 'ResourceNotFoundException');
          return sendJson(res, 200, { ...fixture<Record<string, unknown>>(name), Id: id, Catalog: body.Catalog });
        }
        case 'AWSPartnerCentralSelling.ListOpportunities': {
          const index = body.NextToken ? state.listPages.findIndex((_, i) => i > 0 && fixture(state.listPages[i - 1]!).NextToken === body.NextToken) : 0;
          const name = state.listPages[index];
          return sendJson(res, 200, name ? fixture(name) : { OpportunitySummaries: [] });
        }
        default:
          return sendJson(res, 400, { __type: 'UnknownOperationException', message: target }, 'UnknownOperationException');
      }
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
