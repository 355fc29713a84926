// The local Partner Central: one HTTP server answering what the handlers reach through the standard SDK endpoint
// settings (AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING, …_BENEFITS, AWS_ENDPOINT_URL_STS), in the services' wire protocols:
//  - STS AssumeRole, query protocol (form-encoded request, XML answer): temporary credentials per role; a registered
//    role asked with the wrong external id is refused (AccessDenied), as its trust policy would;
//  - Partner Central Selling, AWS JSON 1.0 (`X-Amz-Target: AWSPartnerCentralSelling.<Operation>`): the caller is the
//    role whose access key signed the request (SigV4 Authorization header). Every request is validated against the
//    service model first (ValidationException, REQUEST_VALIDATION_FAILED, with an ErrorList naming each field); then
//    the pace (ThrottlingException); then a role not registered with Partner Central is refused
//    (AccessDeniedException); then the catalog (catalog.ts) answers.
//  - Partner Central Benefits, AWS JSON 1.0 as well (its model's protocol trait; `X-Amz-Target:
//    PartnerCentralBenefitsService.<Operation>`): the same steps against the Benefits model, its own error shapes
//    (ValidationException with FieldList), the same pace per account; benefits.ts answers.
// Errors are `{ "__type": "<namespace>#<Error>", ...members }` with the model's HTTP status and `x-amzn-errortype`.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PartnerCentralCatalog, PARTNER_CENTRAL_REGION, type Caller, type CatalogState, type PartnerCentralEvent } from './catalog.ts';
import { BenefitsCatalog, type BenefitsState } from './benefits.ts';
import { BENEFITS_MODEL, SELLING_MODEL, ServiceError, ServiceModel, validationException } from './models.ts';

/** Partner Central's write pace, per partner account: a token bucket (rate per second, burst). */
export interface Pace {
  readonly writesPerSecond: number;
  readonly writeBurst: number;
  readonly readsPerSecond: number;
  readonly readBurst: number;
}

/**
 * One write per second per account is the pace this service keeps (README, "Filing through Partner Central"); the
 * burst of 2 is the stand-in's choice (AWS does not publish one) so that two requests racing for the same ClientToken
 * are both answered, as the service's own write gate lets them through one second apart on a moved clock.
 */
export const DEFAULT_PACE: Pace = { writesPerSecond: 1, writeBurst: 2, readsPerSecond: 10, readBurst: 20 };

const WRITE_OPERATIONS = new Set([
  'CreateOpportunity', 'UpdateOpportunity', 'AssociateOpportunity', 'DisassociateOpportunity', 'SubmitOpportunity',
  'CreateBenefitApplication', 'UpdateBenefitApplication', 'AssociateBenefitApplicationResource', 'DisassociateBenefitApplicationResource',
  'SubmitBenefitApplication', 'AmendBenefitApplication', 'CancelBenefitApplication', 'RecallBenefitApplication',
]);

export interface StandInOptions {
  /** The time (the local runtime's movable clock). */
  readonly now?: () => number;
  readonly pace?: Pace;
  /** Where each event goes (the stack's rule target locally). */
  readonly publish?: (event: PartnerCentralEvent) => void;
  /** Every role named AceFilingPartnerCentral* counts as registered (tests); otherwise only registered roles. */
  readonly openRegistration?: boolean;
  /** Called after every change (persistence). */
  readonly changed?: () => void;
  readonly state?: PartnerCentralState;
}

export interface PartnerCentralState {
  readonly catalog: CatalogState;
  readonly benefits?: BenefitsState;
  readonly roles: { roleArn: string; externalId?: string }[];
}

export interface WireRequest {
  readonly target: string;
  readonly raw: string;
  readonly authorization: string;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export class PartnerCentralStandIn {
  readonly selling: ServiceModel;
  readonly benefitsModel: ServiceModel;
  readonly catalog: PartnerCentralCatalog;
  readonly benefits: BenefitsCatalog;
  readonly #now: () => number;
  readonly #pace: Pace;
  readonly #open: boolean;
  readonly #roles = new Map<string, { roleArn: string; externalId?: string }>();
  readonly #keys = new Map<string, string>();
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #changed: () => void;

  constructor(opts: StandInOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#pace = opts.pace ?? DEFAULT_PACE;
    this.#open = opts.openRegistration ?? false;
    this.#changed = opts.changed ?? (() => undefined);
    this.selling = new ServiceModel(SELLING_MODEL);
    for (const r of opts.state?.roles ?? []) this.#roles.set(r.roleArn, r);
    this.catalog = new PartnerCentralCatalog({
      model: this.selling, now: this.#now, publish: opts.publish ?? (() => undefined), changed: this.#changed,
      ...(opts.state ? { state: opts.state.catalog } : {}),
    });
    this.benefitsModel = new ServiceModel(BENEFITS_MODEL);
    this.benefits = new BenefitsCatalog({ model: this.benefitsModel, now: this.#now, changed: this.#changed, ...(opts.state?.benefits ? { state: opts.state.benefits } : {}) });
  }

  state(): PartnerCentralState {
    return { catalog: this.catalog.state(), benefits: this.benefits.state(), roles: [...this.#roles.values()] };
  }

  /**
   * A partner registers the role our service assumes (in its Partner Central account), with one solution to associate
   * unless it has some already (the partner's solutions are Partner Central data; locally they are seeded).
   */
  registerRole(roleArn: string, opts: { externalId?: string | undefined; solutionName?: string; catalogs?: readonly string[] } = {}): void {
    this.#roles.set(roleArn, { roleArn, ...(opts.externalId ? { externalId: opts.externalId } : {}) });
    for (const catalog of opts.catalogs ?? ['Sandbox', 'AWS']) this.catalog.addSolution(accountOf(roleArn), catalog, opts.solutionName ?? 'Generative AI applications on Amazon Bedrock');
    this.#changed();
  }

  /** The access key id the STS stand-in hands out for a role (stable, so tests can check who signed a request). */
  accessKeyIdFor(roleArn: string): string {
    return `ASIA${createHash('sha256').update(roleArn).digest('hex').slice(0, 16).toUpperCase()}`;
  }

  async handle(req: WireRequest): Promise<WireResponse> {
    if (!req.target) return this.#sts(req.raw);
    const [prefix, operation = ''] = req.target.split('.');
    // One server, two services: the target prefix (the service shape's name) says which model and which keeper.
    const service = [
      { model: this.selling, keeper: this.catalog as unknown },
      { model: this.benefitsModel, keeper: this.benefits as unknown },
    ].find((s) => s.model.targetPrefix === prefix);
    if (!service || !service.model.hasOperation(operation)) {
      return json(400, { __type: 'UnknownOperationException', message: `${req.target} is not an operation of the local Partner Central` }, 'UnknownOperationException');
    }
    const { model, keeper } = service;
    try {
      let body: unknown;
      try {
        body = req.raw ? JSON.parse(req.raw) : {};
      } catch {
        throw model.error('ValidationException', { Message: 'The request body is not JSON', Reason: model.validation.requestReason });
      }
      const problems = model.inputProblems(operation, body);
      if (problems.length > 0) throw validationException(model, problems, 'REQUEST_VALIDATION_FAILED');
      const caller = this.#caller(model, req.authorization, operation, body as Record<string, unknown>);
      this.#takePace(model, caller.accountId, WRITE_OPERATIONS.has(operation) ? 'write' : 'read');
      const run = (keeper as Record<string, (c: Caller, input: Record<string, unknown>) => Record<string, unknown>>)[operation];
      if (typeof run !== 'function') throw model.error('ValidationException', { Message: `${operation} is not kept by the local Partner Central`, Reason: model.validation.requestReason });
      return json(200, run.call(keeper, caller, body as Record<string, unknown>));
    } catch (error) {
      if (error instanceof ServiceError) return json(error.status, { __type: error.type, ...error.members }, error.type.split('#')[1]);
      throw error;
    }
  }

  /** Who signed: the role behind the access key; a role not registered with Partner Central is denied. */
  #caller(model: ServiceModel, authorization: string, operation: string, body: Record<string, unknown>): Caller {
    const accessKeyId = /Credential=([^/]+)\//.exec(authorization)?.[1] ?? '';
    const roleArn = this.#keys.get(accessKeyId);
    const registered = roleArn !== undefined && (this.#roles.has(roleArn) || (this.#open && /:role\/AceFilingPartnerCentral/.test(roleArn)));
    if (!roleArn || !registered) {
      const who = roleArn ? `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/ace-filing` : `access key ${accessKeyId || '(none)'}`;
      throw model.error('AccessDeniedException', {
        Message: `User: ${who} is not authorized to perform: partnercentral:${operation} on resource: catalog/${String(body.Catalog ?? '*')} (the role is not registered with this Partner Central account)`,
      });
    }
    return { accountId: accountOf(roleArn), roleArn };
  }

  /** One bucket per account and kind across both services (the stand-in's choice: our write slot is shared too). */
  #takePace(model: ServiceModel, accountId: string, kind: 'read' | 'write'): void {
    const rate = kind === 'write' ? this.#pace.writesPerSecond : this.#pace.readsPerSecond;
    const burst = kind === 'write' ? this.#pace.writeBurst : this.#pace.readBurst;
    const key = `${kind}\u0000${accountId}`;
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) throw model.error('ThrottlingException', { Message: `Rate exceeded: at most ${rate} ${kind} request(s) per second for account ${accountId}` });
    bucket.tokens -= 1;
  }

  #sts(raw: string): WireResponse {
    const form = new URLSearchParams(raw);
    const action = form.get('Action');
    if (action !== 'AssumeRole') return stsError(400, 'InvalidAction', `The local STS answers AssumeRole only, not ${action}`);
    const roleArn = form.get('RoleArn') ?? '';
    const externalId = form.get('ExternalId') ?? undefined;
    const registered = this.#roles.get(roleArn);
    if (registered?.externalId && registered.externalId !== externalId) {
      return stsError(403, 'AccessDenied', `User: arn:aws:sts::000000000000:assumed-role/ace-filing is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }
    const accessKeyId = this.accessKeyIdFor(roleArn);
    this.#keys.set(accessKeyId, roleArn);
    const expiration = new Date(this.#now() + 3600_000).toISOString();
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROALOCALPARTNERROLE:${form.get('RoleSessionName') ?? 'session'}</AssumedRoleId>
      <Arn>${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${form.get('RoleSessionName') ?? 'session'}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>local/partner/central/secret/000000000000000000</SecretAccessKey>
      <SessionToken>FwoGZXIvYXdzELocalPartnerCentralSessionToken</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${createHash('sha256').update(`${roleArn}${expiration}`).digest('hex').slice(0, 32)}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`,
    };
  }
}

/** The AWS account id of a role ARN. */
export function accountOf(roleArn: string): string {
  return roleArn.split(':')[4] ?? roleArn;
}

function json(status: number, body: unknown, errorType?: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `local-${Date.now().toString(36)}`, ...(errorType ? { 'x-amzn-errortype': errorType } : {}) },
    body: JSON.stringify(body),
  };
}

function stsError(status: number, code: string, message: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>local</RequestId></ErrorResponse>`,
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function wireRequestOf(req: IncomingMessage, raw: string): WireRequest {
  return { target: String(req.headers['x-amz-target'] ?? ''), raw, authorization: String(req.headers.authorization ?? '') };
}

export function send(res: ServerResponse, answer: WireResponse): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/** The stand-in on an HTTP server (listen with lib/local/net.ts). */
export function createPartnerCentralServer(standIn: PartnerCentralStandIn, log: (line: string) => void = () => undefined): Server {
  return createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      send(res, await standIn.handle(wireRequestOf(req, raw)));
    })().catch((error: unknown) => {
      log(`partner central stand-in: ${String(error)}`);
      send(res, json(500, { __type: 'InternalServerException', Message: String(error) }, 'InternalServerException'));
    });
  });
}

export { PARTNER_CENTRAL_REGION };
