/**
 * Read the deployed shapes back from the synthesized template, for the local runtime and the tests:
 * - `synthTemplate()` synthesizes the very app `cdk synth` builds (same cdk.json context, cdk-nag on), bundling
 *   skipped, and returns the CloudFormation template JSON;
 * - `resolveDefinition(template)` turns the state machine's `DefinitionString` (an `Fn::Join` of `Ref`/`GetAtt`)
 *   into plain Amazon States Language JSON, every Lambda ARN replaced by a placeholder
 *   `arn:aws:lambda:us-east-1:000000000000:function:<LogicalId>`, with a map from those ARNs to each function's
 *   logical id, entry module and handler (the `ace-filing:*` metadata) and a map from task state name to function;
 * - `listFunctions(template)` and `listRoutes(template)` give the functions and the HTTP API routes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from './app.ts';
import { METADATA_ENTRY, METADATA_HANDLER, PROJECT_ROOT } from './constructs/house-function.ts';

export const PLACEHOLDER = { partition: 'aws', region: 'us-east-1', account: '000000000000', urlSuffix: 'amazonaws.com' } as const;

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: unknown;
}
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface SynthOptions {
  /** Extra context, on top of cdk.json's (e.g. `{ stage: 'prod' }`). */
  readonly context?: Record<string, unknown>;
  /** Bundle the Lambda code with esbuild (slow: about a second per function). @default false */
  readonly bundling?: boolean;
  /** Run the cdk-nag checks (they throw on an unacknowledged finding); off saves about a second. @default true */
  readonly nag?: boolean;
}

/** cdk.json's context: the same settings and feature flags the CLI uses. */
export function cdkJsonContext(): Record<string, unknown> {
  const json = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return json.context ?? {};
}

/** Synthesizes the app into a temporary folder (removed afterwards) and returns the stack's template. */
export function synthTemplate(opts: SynthOptions = {}): CfnTemplate {
  const outdir = mkdtempSync(path.join(tmpdir(), 'ace-filing-synth-'));
  try {
    const app = new App({
      outdir,
      context: {
        ...cdkJsonContext(),
        ...(opts.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
        ...opts.context,
      },
    });
    const stack = buildApp(app, { nag: opts.nag ?? true });
    const assembly = app.synth();
    return assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export interface FunctionInfo {
  readonly logicalId: string;
  /** Handler module relative to the project root, e.g. `functions/workflow/size.ts`. */
  readonly entry: string;
  /** Exported handler name. */
  readonly handler: string;
  /** Environment as in the template: plain strings or CloudFormation references (`{ Ref }`, `{ Fn::GetAtt }`, ...). */
  readonly environment: Record<string, unknown>;
}

/** Every function carrying the house metadata, by logical id. */
export function listFunctions(template: CfnTemplate): Record<string, FunctionInfo> {
  const out: Record<string, FunctionInfo> = {};
  for (const [logicalId, res] of Object.entries(template.Resources)) {
    if (res.Type !== 'AWS::Lambda::Function') continue;
    const entry = res.Metadata?.[METADATA_ENTRY];
    const handler = res.Metadata?.[METADATA_HANDLER];
    if (typeof entry !== 'string' || typeof handler !== 'string') continue;
    const env = (res.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    out[logicalId] = { logicalId, entry, handler, environment: env };
  }
  return out;
}

export function placeholderFunctionArn(logicalId: string): string {
  return `arn:${PLACEHOLDER.partition}:lambda:${PLACEHOLDER.region}:${PLACEHOLDER.account}:function:${logicalId}`;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': PLACEHOLDER.partition,
  'AWS::Region': PLACEHOLDER.region,
  'AWS::AccountId': PLACEHOLDER.account,
  'AWS::URLSuffix': PLACEHOLDER.urlSuffix,
};

/** Resolves a CloudFormation string expression (literal, Fn::Join, Fn::Sub, Ref, Fn::GetAtt) with placeholders. */
export function resolveCfnString(template: CfnTemplate, value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['Fn::Join'])) {
      const [delimiter, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => resolveCfnString(template, p)).join(delimiter);
    }
    if (typeof v.Ref === 'string') return resolveRef(template, v.Ref);
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [id, attr] = v['Fn::GetAtt'] as [string, string];
      return resolveGetAtt(template, id, attr);
    }
    if (typeof v['Fn::Sub'] === 'string') {
      return (v['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
        const [id, attr] = name.split('.');
        return attr ? resolveGetAtt(template, id!, attr) : resolveRef(template, id!);
      });
    }
  }
  throw new Error(`cannot resolve CloudFormation value ${JSON.stringify(value)}`);
}

function resolveRef(template: CfnTemplate, id: string): string {
  const pseudo = PSEUDO[id];
  if (pseudo) return pseudo;
  if (!template.Resources[id]) throw new Error(`Ref to unknown resource ${id}`);
  return id; // a function's Ref is its name: the logical id stands in for it
}

function resolveGetAtt(template: CfnTemplate, id: string, attr: string): string {
  const res = template.Resources[id];
  if (!res) throw new Error(`Fn::GetAtt on unknown resource ${id}`);
  if (res.Type === 'AWS::Lambda::Function' && attr === 'Arn') return placeholderFunctionArn(id);
  if (attr === 'Arn') {
    const service = res.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
    return `arn:${PLACEHOLDER.partition}:${service}:${PLACEHOLDER.region}:${PLACEHOLDER.account}:${id}`;
  }
  return `${id}.${attr}`;
}

export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly Retry?: Array<Record<string, unknown>>;
  readonly Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string | null }>;
  readonly TimeoutSeconds?: number;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Branches?: AslDefinition[];
  readonly ItemProcessor?: AslDefinition;
  readonly Iterator?: AslDefinition;
  readonly [key: string]: unknown;
}
export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly [key: string]: unknown;
}

export interface ResolvedDefinition {
  readonly stateMachineLogicalId: string;
  /** Plain ASL JSON, placeholder ARNs in place of references. */
  readonly definition: AslDefinition;
  /** Placeholder function ARN → the function behind it. */
  readonly functions: Record<string, FunctionInfo>;
  /** Task state name (at any nesting depth) → the function it invokes. */
  readonly taskFunctions: Record<string, FunctionInfo>;
}

/** Resolves the (single, or named) state machine's definition to plain JSON with placeholder ARNs. */
export function resolveDefinition(template: CfnTemplate, stateMachineLogicalId?: string): ResolvedDefinition {
  const machines = Object.entries(template.Resources).filter(
    ([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && (!stateMachineLogicalId || id === stateMachineLogicalId),
  );
  if (machines.length !== 1) {
    throw new Error(`expected exactly one state machine${stateMachineLogicalId ? ` named ${stateMachineLogicalId}` : ''}, found ${machines.length}`);
  }
  const [logicalId, machine] = machines[0]!;
  const definition = JSON.parse(resolveCfnString(template, machine.Properties?.DefinitionString)) as AslDefinition;

  const byLogicalId = listFunctions(template);
  const functions: Record<string, FunctionInfo> = {};
  for (const info of Object.values(byLogicalId)) functions[placeholderFunctionArn(info.logicalId)] = info;

  const taskFunctions: Record<string, FunctionInfo> = {};
  const visit = (def: AslDefinition): void => {
    for (const [name, state] of Object.entries(def.States)) {
      if (state.Type === 'Task') {
        const target = typeof state.Parameters?.FunctionName === 'string' ? state.Parameters.FunctionName : state.Resource;
        const fn = typeof target === 'string' ? functions[target] : undefined;
        if (fn) taskFunctions[name] = fn;
      }
      for (const branch of state.Branches ?? []) visit(branch);
      if (state.ItemProcessor) visit(state.ItemProcessor);
      if (state.Iterator) visit(state.Iterator);
    }
  };
  visit(definition);
  return { stateMachineLogicalId: logicalId, definition, functions, taskFunctions };
}

export interface RouteInfo {
  /** e.g. `POST /worksheets`. */
  readonly routeKey: string;
  /** `NONE` or `JWT`. */
  readonly authorizationType: string;
  readonly function: FunctionInfo;
}

/** HTTP API routes with their authorization type and the function behind each. */
export function listRoutes(template: CfnTemplate): RouteInfo[] {
  const fns = listFunctions(template);
  const routes: RouteInfo[] = [];
  for (const res of Object.values(template.Resources)) {
    if (res.Type !== 'AWS::ApiGatewayV2::Route') continue;
    const props = res.Properties ?? {};
    const target = resolveCfnString(template, props.Target); // integrations/<IntegrationLogicalId>
    const integration = template.Resources[target.replace(/^integrations\//, '')];
    const uri = integration?.Properties?.IntegrationUri as { 'Fn::GetAtt'?: [string, string] } | undefined;
    const fnId = uri?.['Fn::GetAtt']?.[0];
    const fn = fnId ? fns[fnId] : undefined;
    if (!fn) throw new Error(`route ${String(props.RouteKey)}: no house function behind its integration`);
    routes.push({ routeKey: String(props.RouteKey), authorizationType: String(props.AuthorizationType ?? 'NONE'), function: fn });
  }
  return routes.sort((a, b) => a.routeKey.localeCompare(b.routeKey));
}
