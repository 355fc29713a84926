/**
 * Infra: lib/template.ts, the helper the local runtime and the workflow tests use to read the deployed shapes back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  listFunctions,
  placeholderFunctionArn,
  resolveCfnString,
  resolveDefinition,
  type CfnTemplate,
} from '../../lib/template.ts';
import { STATES } from '../../lib/workflow/definition.ts';
import { devTemplate } from './support.ts';

// Synthesis (cdk-nag included) runs once, in a hook with room for a busy shared machine, not inside the first test.
beforeAll(() => {
  devTemplate();
}, 180_000);

describe('resolveDefinition on the synthesized stack', () => {
  it('turns the DefinitionString into plain JSON with placeholder Lambda ARNs and no references left', () => {
    const { definition, stateMachineLogicalId } = resolveDefinition(devTemplate());
    expect(stateMachineLogicalId).toMatch(/StateMachine/);
    const text = JSON.stringify(definition);
    expect(text).not.toMatch(/Fn::|"Ref"/);
    const arns = [...text.matchAll(/arn:aws:lambda:[^"]+/g)].map((m) => m[0]);
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:[A-Za-z0-9]+$/);
  });

  it('maps every placeholder ARN to the function logical id, entry and handler', () => {
    const { definition, functions } = resolveDefinition(devTemplate());
    const arns = new Set([...JSON.stringify(definition).matchAll(/arn:aws:lambda:[^"]+/g)].map((m) => m[0]));
    for (const arn of arns) {
      const fn = functions[arn];
      expect(fn, arn).toBeDefined();
      expect(arn).toBe(placeholderFunctionArn(fn!.logicalId));
      expect(fn!.entry).toMatch(/^functions\/workflow\/[a-z-]+\.ts$/);
      expect(fn!.handler).toBe('handler');
    }
  });

  it('names the function behind each task state', () => {
    const { definition, taskFunctions } = resolveDefinition(devTemplate());
    const taskStates = Object.entries((definition as { States: Record<string, { Type: string }> }).States)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name]) => name)
      .sort();
    expect(Object.keys(taskFunctions).sort()).toEqual(taskStates);
    const entries = Object.fromEntries(Object.entries(taskFunctions).map(([state, fn]) => [state, fn.entry]));
    expect(entries).toMatchObject({
      [STATES.sizeAsk]: 'functions/workflow/size.ts',
      [STATES.estimateAsk]: 'functions/workflow/estimate.ts',
      [STATES.recordEstimate]: 'functions/workflow/size.ts',
      [STATES.draftBriefs]: 'functions/workflow/draft.ts',
      [STATES.routePartner]: 'functions/workflow/route.ts',
      [STATES.notifyRouted]: 'functions/workflow/notify.ts',
      [STATES.notifyFailed]: 'functions/workflow/notify.ts',
      [STATES.awaitPartnerReview]: 'functions/workflow/await-human-step.ts',
      [STATES.markFailed]: 'functions/workflow/mark-failed.ts',
    });
    for (const entry of Object.values(entries)) expect(entry).toMatch(/^functions\/workflow\/[a-z-]+\.ts$/);
  });
});

describe('resolveCfnString and resolveDefinition on a small template', () => {
  const template: CfnTemplate = {
    Resources: {
      Fn1: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { TABLE_NAME: { Ref: 'Table1' } } } },
        Metadata: { 'ace-filing:entry': 'functions/workflow/size.ts', 'ace-filing:handler': 'handler' },
      },
      Table1: { Type: 'AWS::DynamoDB::Table' },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: {
            'Fn::Join': ['', [
              '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:',
              { Ref: 'AWS::Partition' },
              ':states:::lambda:invoke","Parameters":{"FunctionName":"',
              { 'Fn::GetAtt': ['Fn1', 'Arn'] },
              '"},"End":true}}}',
            ]],
          },
        },
      },
    },
  };

  it('resolves pseudo parameters, GetAtt Arn, Ref and Fn::Sub', () => {
    expect(resolveCfnString(template, { Ref: 'AWS::Region' })).toBe('us-east-1');
    expect(resolveCfnString(template, { 'Fn::GetAtt': ['Fn1', 'Arn'] })).toBe('arn:aws:lambda:us-east-1:000000000000:function:Fn1');
    expect(resolveCfnString(template, { Ref: 'Table1' })).toBe('Table1');
    expect(resolveCfnString(template, { 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::AccountId}:${Fn1.Arn}' })).toBe(
      'arn:aws:x:000000000000:arn:aws:lambda:us-east-1:000000000000:function:Fn1',
    );
  });

  it('refuses references to resources that do not exist', () => {
    expect(() => resolveCfnString(template, { Ref: 'Nope' })).toThrow(/Nope/);
    expect(() => resolveCfnString(template, { 'Fn::If': [] })).toThrow(/cannot resolve/);
  });

  it('returns the definition, the ARN map and the task map', () => {
    const resolved = resolveDefinition(template);
    expect(resolved.definition).toEqual({
      StartAt: 'A',
      States: {
        A: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:Fn1' },
          End: true,
        },
      },
    });
    expect(resolved.functions['arn:aws:lambda:us-east-1:000000000000:function:Fn1']).toEqual(listFunctions(template).Fn1);
    expect(resolved.taskFunctions.A?.entry).toBe('functions/workflow/size.ts');
  });
});
