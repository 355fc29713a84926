/**
 * Helpers for the infra suite: the synthesized template (the same one `cdk synth` builds, bundling skipped) and
 * small readers for what the assertions care about (a function by its entry module, the statements of its role).
 */
import { synthTemplate, type CfnTemplate, type SynthOptions } from '../../lib/template.ts';
import { METADATA_ENTRY } from '../../lib/constructs/house-function.ts';

export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

let cached: CfnTemplate | undefined;

/** The default (dev) template, synthesized once per test file. */
export function devTemplate(): CfnTemplate {
  cached ??= synthTemplate();
  return cached;
}

export function template(opts: SynthOptions): CfnTemplate {
  return synthTemplate(opts);
}

export function resourcesOfType(t: CfnTemplate, type: string): Array<[string, Record<string, unknown>]> {
  return Object.entries(t.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The logical id of the function whose `ace-filing:entry` is `entry`. */
export function functionIdByEntry(t: CfnTemplate, entry: string): string {
  const hits = Object.entries(t.Resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[METADATA_ENTRY] === entry,
  );
  if (hits.length !== 1) throw new Error(`expected one function for ${entry}, found ${hits.length}`);
  return hits[0]![0];
}

export function functionProps(t: CfnTemplate, logicalId: string): Record<string, unknown> {
  return t.Resources[logicalId]!.Properties ?? {};
}

export function environmentOf(t: CfnTemplate, logicalId: string): Record<string, unknown> {
  return ((functionProps(t, logicalId).Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables) ?? {};
}

/** Logical id of a role from a `{ Fn::GetAtt: [id, 'Arn'] }` reference. */
function roleIdOf(ref: unknown): string {
  const getAtt = (ref as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (!getAtt) throw new Error(`not a role reference: ${JSON.stringify(ref)}`);
  return getAtt[0];
}

/** Every statement attached to the role (inline policies and AWS::IAM::Policy resources). */
export function statementsOfRole(t: CfnTemplate, roleId: string): Statement[] {
  const out: Statement[] = [];
  const role = t.Resources[roleId]!;
  for (const p of (role.Properties?.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }> | undefined) ?? []) {
    out.push(...p.PolicyDocument.Statement);
  }
  for (const [, props] of resourcesOfType(t, 'AWS::IAM::Policy')) {
    const roles = (props.Roles as Array<{ Ref?: string }> | undefined) ?? [];
    if (roles.some((r) => r.Ref === roleId)) {
      out.push(...(props.PolicyDocument as { Statement: Statement[] }).Statement);
    }
  }
  return out;
}

export function statementsOfFunction(t: CfnTemplate, functionId: string): Statement[] {
  return statementsOfRole(t, roleIdOf(functionProps(t, functionId).Role));
}

export function actionsOf(statements: Statement[]): string[] {
  return [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();
}

export function resourcesFor(statements: Statement[], action: string): unknown[] {
  return statements
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
}

/** A `{ Ref: id }` or `{ Fn::GetAtt: [id, attr] }` reference, or a Join containing one, mentions `id`. */
export function mentions(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value).includes(`"${logicalId}"`);
}
