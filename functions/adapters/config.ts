/**
 * Configuration fails fast: each handler names the variables it needs at cold start and gets a typed
 * object, or the function fails to initialise with a message naming every missing variable.
 * Business code never reads process.env.
 */
export const CONFIG_KEYS = {
  TABLE_NAME: 'DynamoDB table of applications, partners and task tokens',
  STATE_MACHINE_ARN: 'the application workflow',
  SENDER_EMAIL: 'SES verified sender',
  SES_CONFIGURATION_SET: 'SES configuration set for delivery events',
  ACE_CATALOG: 'Partner Central catalog: AWS in production, Sandbox elsewhere',
  PUBLIC_BASE_URL: 'public base URL of the API, used in links',
  OPS_EMAIL: 'where operations notices go',
} as const;
export type ConfigKey = keyof typeof CONFIG_KEYS;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function readConfig<K extends ConfigKey>(keys: readonly K[], env: NodeJS.ProcessEnv = process.env): Record<K, string> {
  const missing = keys.filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new ConfigError(`Missing configuration: ${missing.map((k) => `${k} (${CONFIG_KEYS[k]})`).join(', ')}`);
  }
  if (keys.includes('ACE_CATALOG' as K) && !['AWS', 'Sandbox'].includes(env.ACE_CATALOG ?? '')) {
    throw new ConfigError(`ACE_CATALOG must be AWS or Sandbox, got '${env.ACE_CATALOG}'`);
  }
  return Object.fromEntries(keys.map((k) => [k, env[k] as string])) as Record<K, string>;
}
