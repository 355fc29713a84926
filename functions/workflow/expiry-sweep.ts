/** ExpirySweep (daily, EventBridge Scheduler): wires functions/usecases/expiry-sweep.ts. */
import * as z from 'zod/mini';
import { systemClock } from '../adapters/clock.ts';
import { readConfig } from '../adapters/config.ts';
import { ApplicationRepository } from '../adapters/dynamo/applications.ts';
import { PartnerRepository } from '../adapters/dynamo/partners.ts';
import { sweepExpiries } from '../usecases/expiry-sweep.ts';
import { Notifier } from '../usecases/notifier.ts';
import { systemActor, workflowTask } from './task.ts';

const config = readConfig(['TABLE_NAME', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'PUBLIC_BASE_URL', 'OPS_EMAIL']);
const applications = new ApplicationRepository(config.TABLE_NAME);
const deps = { applications, notifier: new Notifier(applications, new PartnerRepository(config.TABLE_NAME), config), clock: systemClock };

export const ExpirySweepInput = z.object({ sweep: z.optional(z.string()) });

export const handler = workflowTask('ExpirySweep', ExpirySweepInput, () => sweepExpiries(deps, systemActor('ExpirySweep')));
