/**
 * Deployment settings, read once from CDK context (cdk.json, or `-c key=value`) and validated.
 * Nothing here looks anything up in an AWS account: synthesis works offline with no credentials.
 */
import type { Node } from 'constructs';

export type Stage = 'dev' | 'staging' | 'prod';
export type AceCatalog = 'AWS' | 'Sandbox';

export interface AppConfig {
  readonly stage: Stage;
  /** Verified SES sender address; the identity is created (and verified by mail) by the stack. */
  readonly senderEmail: string;
  /** Name of the SES configuration set the stack creates and every send uses. */
  readonly sesConfigurationSet: string;
  /** Where operations notices go (unrouted applications, reminders). */
  readonly opsEmail: string;
  /** Partner Central catalog: `Sandbox` unless production. */
  readonly aceCatalog: AceCatalog;
  /** Public base URL for links in mails; defaults to the HTTP API's own endpoint. */
  readonly publicBaseUrl?: string;
  /** Retention of every log group, in days (a value CloudWatch Logs accepts). */
  readonly logRetentionDays: number;
  /** Optional e-mail subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** How long a partner has to review before the reminder branch runs. */
  readonly partnerReviewTimeoutHours: number;
  /** After the review reminder: how long before the application is re-routed to the next partner. */
  readonly partnerReviewGraceHours: number;
  /** How long a founder has to answer a change request (then a reminder, then as long again before it is abandoned). */
  readonly founderRevisionTimeoutDays: number;
  /** How long AWS may take to decide a filed record before partner and operations are reminded (repeats). */
  readonly awsDecisionTimeoutDays: number;
  /** How long approved credits may take to be applied before partner and operations are reminded (repeats). */
  readonly creditsTimeoutDays: number;
  /** Hours a confirmation mail's link works; the founder's address must be confirmed within them or the application is closed. */
  readonly addressConfirmationHours: number;
  /** Confirmation mails one application may ask to be resent. */
  readonly confirmationResendsPerApplication: number;
  /** Confirmation mails (resends) one address may receive per day, across its applications. */
  readonly confirmationResendsPerAddressPerDay: number;
  /** Open applications (submitted, not yet filed or closed) per founder address and per AWS account. */
  readonly maxOpenApplicationsPerAddress: number;
  readonly maxOpenApplicationsPerAccount: number;
  /** Confirmed open applications per mail domain, outside the public mail services (data/mail-providers.json). */
  readonly maxOpenApplicationsPerMailDomain: number;
  /** Well-formed worksheets taken from one source network (an IPv4 address, an IPv6 /64) per UTC day. */
  readonly worksheetsPerSourcePerDay: number;
  /**
   * HTTP API throttling (requests per second, burst) per route group. API Gateway's route throttles are aggregate
   * (all clients together), so public routes are far tighter than partner and operations routes.
   */
  readonly throttle: {
    readonly public: { readonly rateLimit: number; readonly burstLimit: number };
    readonly founder: { readonly rateLimit: number; readonly burstLimit: number };
    readonly authenticated: { readonly rateLimit: number; readonly burstLimit: number };
  };
  /** Optional fixed deployment target; without it the stack is environment-agnostic. */
  readonly account?: string;
  readonly region?: string;
}

const STAGES: readonly Stage[] = ['dev', 'staging', 'prod'];

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context '${key}' must be a string`);
  return value;
}

function requiredString(node: Node, key: string): string {
  const value = optionalString(node, key);
  if (value === undefined) throw new Error(`context '${key}' is required (set it in cdk.json or with -c ${key}=...)`);
  return value;
}

function positiveNumber(node: Node, key: string, fallback: number): number {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`context '${key}' must be a positive number, got '${String(raw)}'`);
  return value;
}

export function readAppConfig(node: Node): AppConfig {
  const stage = optionalString(node, 'stage') ?? 'dev';
  if (!STAGES.includes(stage as Stage)) throw new Error(`context 'stage' must be one of: ${STAGES.join(', ')}`);
  const aceCatalog = optionalString(node, 'aceCatalog') ?? (stage === 'prod' ? 'AWS' : 'Sandbox');
  if (aceCatalog !== 'AWS' && aceCatalog !== 'Sandbox') throw new Error("context 'aceCatalog' must be one of: AWS, Sandbox");
  const publicBaseUrl = optionalString(node, 'publicBaseUrl');
  const alarmEmail = optionalString(node, 'alarmEmail');
  const account = optionalString(node, 'account');
  const region = optionalString(node, 'region');
  return {
    stage: stage as Stage,
    senderEmail: requiredString(node, 'senderEmail'),
    sesConfigurationSet: requiredString(node, 'sesConfigurationSet'),
    opsEmail: requiredString(node, 'opsEmail'),
    aceCatalog,
    logRetentionDays: positiveNumber(node, 'logRetentionDays', 30),
    partnerReviewTimeoutHours: positiveNumber(node, 'partnerReviewTimeoutHours', 120),
    partnerReviewGraceHours: positiveNumber(node, 'partnerReviewGraceHours', 48),
    founderRevisionTimeoutDays: positiveNumber(node, 'founderRevisionTimeoutDays', 14),
    awsDecisionTimeoutDays: positiveNumber(node, 'awsDecisionTimeoutDays', 21),
    creditsTimeoutDays: positiveNumber(node, 'creditsTimeoutDays', 30),
    addressConfirmationHours: positiveNumber(node, 'addressConfirmationHours', 72),
    confirmationResendsPerApplication: Math.floor(positiveNumber(node, 'confirmationResendsPerApplication', 3)),
    confirmationResendsPerAddressPerDay: Math.floor(positiveNumber(node, 'confirmationResendsPerAddressPerDay', 5)),
    maxOpenApplicationsPerAddress: Math.floor(positiveNumber(node, 'maxOpenApplicationsPerAddress', 3)),
    maxOpenApplicationsPerAccount: Math.floor(positiveNumber(node, 'maxOpenApplicationsPerAccount', 5)),
    maxOpenApplicationsPerMailDomain: Math.floor(positiveNumber(node, 'maxOpenApplicationsPerMailDomain', 10)),
    worksheetsPerSourcePerDay: Math.floor(positiveNumber(node, 'worksheetsPerSourcePerDay', 20)),
    throttle: {
      public: { rateLimit: positiveNumber(node, 'publicRouteRateLimit', 5), burstLimit: Math.floor(positiveNumber(node, 'publicRouteBurstLimit', 10)) },
      founder: { rateLimit: positiveNumber(node, 'founderRouteRateLimit', 10), burstLimit: Math.floor(positiveNumber(node, 'founderRouteBurstLimit', 20)) },
      authenticated: { rateLimit: positiveNumber(node, 'authenticatedRouteRateLimit', 50), burstLimit: Math.floor(positiveNumber(node, 'authenticatedRouteBurstLimit', 100)) },
    },
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
  };
}

/** Settings for tests and tools that synthesize without cdk.json. */
export const DEFAULT_CONTEXT = {
  stage: 'dev',
  senderEmail: 'no-reply@example.com',
  sesConfigurationSet: 'ace-filing',
  opsEmail: 'ops@example.com',
  logRetentionDays: 30,
  partnerReviewTimeoutHours: 120,
  partnerReviewGraceHours: 48,
  founderRevisionTimeoutDays: 14,
  awsDecisionTimeoutDays: 21,
  creditsTimeoutDays: 30,
  addressConfirmationHours: 72,
  confirmationResendsPerApplication: 3,
  confirmationResendsPerAddressPerDay: 5,
  maxOpenApplicationsPerAddress: 3,
  maxOpenApplicationsPerAccount: 5,
  maxOpenApplicationsPerMailDomain: 10,
  worksheetsPerSourcePerDay: 20,
  publicRouteRateLimit: 5,
  publicRouteBurstLimit: 10,
  founderRouteRateLimit: 10,
  founderRouteBurstLimit: 20,
  authenticatedRouteRateLimit: 50,
  authenticatedRouteBurstLimit: 100,
} as const;
