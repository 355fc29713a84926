/**
 * cdk-nag helpers. cdk-nag 3 acknowledges findings through CDK's own `Validations.of(scope).acknowledge()`; a
 * wildcard finding's id names the resource as cdk-nag prints it (`AwsSolutions-IAM5[Resource::<Table1234.Arn>/x/*]`),
 * so an acknowledgement must be built from the same resolved, flattened form.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

type CfnValue = string | number | boolean | null | undefined | CfnValue[] | { [key: string]: CfnValue };

/** Flattens a resolved CloudFormation value the way cdk-nag does (Ref → `<Id>`, GetAtt → `<Id.Attr>`). */
export function flattenCfnReference(value: CfnValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [delimiter, items] = join as [string, CfnValue[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (value['Fn::Sub'] !== undefined) return flattenCfnReference(value['Fn::Sub']);
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `<${flattenCfnReference(getAtt[0])}.${flattenCfnReference(getAtt[1])}>`;
  if (value['Fn::ImportValue'] !== undefined) return flattenCfnReference(value['Fn::ImportValue']);
  if (value.Ref !== undefined) return `<${flattenCfnReference(value.Ref)}>`;
  return JSON.stringify(value);
}

/** A resource (ARN string, possibly holding tokens) as cdk-nag prints it in an IAM5 finding. */
export function nagResourceName(scope: IConstruct, resource: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(resource) as CfnValue);
}

/** Acknowledges one `AwsSolutions-IAM5[Resource::…]` finding on `scope` (and only that resource). */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagResourceName(scope, resource)}]`, reason });
}

/** Acknowledges a whole rule (every finding of it) on `scope`, with the reason. */
export function acknowledgeRule(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
