/** ExpirySweep (daily, EventBridge Scheduler): wires functions/usecases/expiry-sweep.ts. */
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { sweepExpiries } from '../usecases/expiry-sweep.ts';
import { Notifier } from '../usecases/notifier.ts';
import { expirySweepNotices } from '../wiring/notice-composers.ts';
import { SweepTaskInput, systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'PUBLIC_BASE_URL', 'OPS_EMAIL']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const deps = { applications, notifier: new Notifier(applications, new PartnerRepository(config.TABLE_NAME), config, expirySweepNotices), clock: systemClock };

export const ExpirySweepInput = SweepTaskInput;

export const handler = workflowTask('ExpirySweep', ExpirySweepInput, () => sweepExpiries(deps, systemActor('ExpirySweep')));
