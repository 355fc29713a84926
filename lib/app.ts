/**
 * Builds the app's stack(s) on a given App, with cdk-nag on the whole app. Shared by bin/app.ts, lib/template.ts and
 * the infra tests, so all of them synthesize exactly the same thing.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkBundledData } from '../functions/core/data-checks.ts';
import { readAppConfig } from './config.ts';
import { AceFilingStack } from './stack.ts';

export const STACK_ID = 'AceFiling';

export interface BuildOptions {
  /** Run the cdk-nag AwsSolutions checks during synthesis. @default true */
  readonly nag?: boolean;
}

export function buildApp(app: App, opts: BuildOptions = {}): AceFilingStack {
  // The functions trust the bundled data files (issue 11 §1): a broken one fails the synth here, with field paths.
  checkBundledData();
  const config = readAppConfig(app.node);
  const stack = new AceFilingStack(app, STACK_ID, {
    config,
    stackName: `ace-filing-${config.stage}`,
    description: 'ace-filing: sizes Bedrock credit asks, drafts ACE records, routes them to partners',
    // Environment-agnostic unless account/region are given in context: synthesis never looks anything up.
    ...(config.account || config.region ? { env: { account: config.account, region: config.region } } : {}),
    tags: { project: 'ace-filing', stage: config.stage },
  });
  if (opts.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
