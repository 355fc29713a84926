/**
 * The CDK app: one AceFilingStack per stage, cdk-nag AwsSolutions checks on the whole app.
 * Offline and credential-free: `npx cdk synth --quiet` (settings from cdk.json context, override with -c key=value).
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app.ts';

buildApp(new App());
