// The intake limits and confirmation settings read from the environment the stack sets (functions/wiring/intake-settings.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/adapters/config.ts';
import { DEFAULT_MAX_OPEN_PER_MAIL_DOMAIN, INTAKE_SETTING_VARIABLES as V, readConfirmationSettings, readIntakeLimits } from '../../functions/wiring/intake-settings.ts';

describe('intake settings', () => {
  it('unset or empty is the documented default', () => {
    expect(readIntakeLimits({})).toEqual({ maxOpenPerAddress: 3, maxOpenPerAccount: 5, worksheetsPerSourcePerDay: 20 });
    expect(readConfirmationSettings({ [V.maxOpenPerMailDomain]: '' })).toEqual({ confirmWithinHours: 72, maxResendsPerApplication: 3, resendsPerAddressPerDay: 5, maxOpenPerMailDomain: DEFAULT_MAX_OPEN_PER_MAIL_DOMAIN });
    expect(DEFAULT_MAX_OPEN_PER_MAIL_DOMAIN).toBe(10);
  });

  it('reads each variable, counts rounded down (hours may be fractional)', () => {
    const env = { [V.maxOpenPerAddress]: '2.9', [V.maxOpenPerAccount]: '7', [V.confirmWithinHours]: '1.5', [V.maxResendsPerApplication]: '4', [V.resendsPerAddressPerDay]: '6', [V.maxOpenPerMailDomain]: '25.5', [V.worksheetsPerSourcePerDay]: '40.9' };
    expect(readIntakeLimits(env)).toEqual({ maxOpenPerAddress: 2, maxOpenPerAccount: 7, worksheetsPerSourcePerDay: 40 });
    expect(readConfirmationSettings(env)).toEqual({ confirmWithinHours: 1.5, maxResendsPerApplication: 4, resendsPerAddressPerDay: 6, maxOpenPerMailDomain: 25 });
  });

  it('a value that is not a positive number fails the cold start, naming the variable and the value', () => {
    for (const bad of ['0', '-1', 'ten', 'Infinity']) {
      expect(() => readConfirmationSettings({ [V.maxOpenPerMailDomain]: bad })).toThrow(new ConfigError(`MAX_OPEN_APPLICATIONS_PER_MAIL_DOMAIN must be a positive number, got '${bad}'`));
    }
    expect(() => readIntakeLimits({ [V.maxOpenPerAccount]: '0' })).toThrow(/MAX_OPEN_APPLICATIONS_PER_ACCOUNT/);
    expect(() => readIntakeLimits({ [V.worksheetsPerSourcePerDay]: '-3' })).toThrow("WORKSHEETS_PER_SOURCE_PER_DAY must be a positive number, got '-3'");
  });
});
