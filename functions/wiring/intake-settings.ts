/**
 * The intake limits and the address-confirmation settings, read from the environment once (the stack sets them from
 * cdk.json context; see lib/config.ts). Unset means the documented default; a bad value fails the cold start.
 */
import { ConfigError } from '../adapters/config.ts';
import {
  DEFAULT_CONFIRMATION_SETTINGS, DEFAULT_INTAKE_LIMITS, type ConfirmationSettings, type IntakeLimits,
} from '../core/address-confirmation.ts';

/** Environment variable names, shared with the stack (lib/constructs). */
export const INTAKE_SETTING_VARIABLES = {
  maxOpenPerAddress: 'MAX_OPEN_APPLICATIONS_PER_ADDRESS',
  maxOpenPerAccount: 'MAX_OPEN_APPLICATIONS_PER_ACCOUNT',
  confirmWithinHours: 'ADDRESS_CONFIRMATION_HOURS',
  maxResendsPerApplication: 'CONFIRMATION_RESENDS_PER_APPLICATION',
  resendsPerAddressPerDay: 'CONFIRMATION_RESENDS_PER_ADDRESS_PER_DAY',
  maxOpenPerMailDomain: 'MAX_OPEN_APPLICATIONS_PER_MAIL_DOMAIN',
  worksheetsPerSourcePerDay: 'WORKSHEETS_PER_SOURCE_PER_DAY',
} as const;

export const DEFAULT_RESENDS_PER_ADDRESS_PER_DAY = 5;
/** Confirmed open applications per mail domain outside the public mail services (functions/core/mailbox.ts). */
export const DEFAULT_MAX_OPEN_PER_MAIL_DOMAIN = 10;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number, got '${raw}'`);
  return value;
}

export function readIntakeLimits(env: NodeJS.ProcessEnv = process.env): IntakeLimits {
  const v = INTAKE_SETTING_VARIABLES;
  return {
    maxOpenPerAddress: Math.floor(positive(env, v.maxOpenPerAddress, DEFAULT_INTAKE_LIMITS.maxOpenPerAddress)),
    maxOpenPerAccount: Math.floor(positive(env, v.maxOpenPerAccount, DEFAULT_INTAKE_LIMITS.maxOpenPerAccount)),
    worksheetsPerSourcePerDay: Math.floor(positive(env, v.worksheetsPerSourcePerDay, DEFAULT_INTAKE_LIMITS.worksheetsPerSourcePerDay)),
  };
}

export function readConfirmationSettings(env: NodeJS.ProcessEnv = process.env): ConfirmationSettings & { resendsPerAddressPerDay: number; maxOpenPerMailDomain: number } {
  const v = INTAKE_SETTING_VARIABLES;
  return {
    confirmWithinHours: positive(env, v.confirmWithinHours, DEFAULT_CONFIRMATION_SETTINGS.confirmWithinHours),
    maxResendsPerApplication: Math.floor(positive(env, v.maxResendsPerApplication, DEFAULT_CONFIRMATION_SETTINGS.maxResendsPerApplication)),
    resendsPerAddressPerDay: Math.floor(positive(env, v.resendsPerAddressPerDay, DEFAULT_RESENDS_PER_ADDRESS_PER_DAY)),
    maxOpenPerMailDomain: Math.floor(positive(env, v.maxOpenPerMailDomain, DEFAULT_MAX_OPEN_PER_MAIL_DOMAIN)),
  };
}
