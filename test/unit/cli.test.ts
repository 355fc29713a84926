// The `ace-filing` command line, spawned for real (`node bin/ace-filing.mjs ...`): outputs, exit codes, stdin.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = 'examples/worksheet.json';
const SAMPLE = fileURLToPath(new URL('../fixtures/ace-samples/createOpportunity-sample.json', import.meta.url));

function cli(args: string[], stdin?: string) {
  const result = spawnSync(process.execPath, ['bin/ace-filing.mjs', ...args], { cwd: ROOT, input: stdin ?? '', encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function validBody(): Record<string, unknown> {
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Record<string, unknown>;
  return { ...sample, Catalog: 'Sandbox', ClientToken: 'crm-record-42' };
}

describe('ace-filing', () => {
  it('--help prints the usage and exits 0', () => {
    const { code, stdout } = cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: ace-filing <command> FILE');
    for (const command of ['estimate', 'briefs', 'validate', '--catalog', '--table']) expect(stdout).toContain(command);
  });

  it('estimate prints the estimate as JSON', () => {
    const { code, stdout } = cli(['estimate', EXAMPLE]);
    expect(code).toBe(0);
    const estimate = JSON.parse(stdout) as { plan: { filings: unknown[] }; forecast: { recommendedAskUsd: string } };
    expect(estimate.plan.filings.length).toBeGreaterThan(0);
    expect(estimate.forecast.recommendedAskUsd).toMatch(/^\d+\.\d{2}$/);
    // The JSON says what the table says: batch and caching are counted (the worksheet applies them), only a cheaper
    // model is a suggestion.
    const levers = (JSON.parse(stdout) as { levers: { lever: string; applied: boolean; message: string }[] }).levers;
    expect(levers.filter((l) => l.lever !== 'cheaper-model').length).toBeGreaterThan(0);
    for (const l of levers) {
      expect(l.applied).toBe(l.lever !== 'cheaper-model');
      if (l.applied) expect(l.message).toMatch(/^Already counted in this forecast/);
      expect(l.message).not.toMatch(/^Run the batchable|^Cache the \d+ repeated/);
    }
  });

  it('estimate --table prints readable tables', () => {
    const { code, stdout } = cli(['estimate', '--table', EXAMPLE]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Credit envelope \(forecast of credit-eligible spend, rounded\)\s+\$150,000\.00/);
    expect(stdout).toContain('Filing plan');
    // The cohort long shot is labelled, and the total adds only the counted filings.
    expect(stdout).toMatch(/AWS Generative AI Accelerator \(long shot, not counted\)/);
    expect(stdout).toMatch(/Total ask \(sum of the counted filings, each rounded\)\s+\$151,000\.00/);
    expect(stdout).toMatch(/Amazon Bedrock\s+\$[\d,]+\.\d{2}/);
    // Batch and caching are already applied by this worksheet: shown as counted, never suggested again.
    expect(stdout).toContain('Levers the worksheet already applies (counted in the forecast)');
    const suggestions = stdout.slice(stdout.indexOf('\nSuggestions\n'), stdout.indexOf('\nWarnings\n'));
    expect(suggestions).toContain('cheaper-model');
    expect(suggestions).not.toMatch(/Run the batchable|Cache the \d+ repeated/);
  });

  it('briefs prints a JSON array of CreateOpportunity bodies for the Sandbox catalog by default', () => {
    const { code, stdout, stderr } = cli(['briefs', EXAMPLE]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const bodies = JSON.parse(stdout) as { Catalog: string; ClientToken: string; Customer: { Contacts: { Email: string }[] } }[];
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body.Catalog).toBe('Sandbox');
      expect(body.Customer.Contacts[0]?.Email).toBe('maya@ledgerly.ai');
    }
    // Same worksheet, same tokens: re-running never mints a second record.
    expect(JSON.parse(cli(['briefs', EXAMPLE]).stdout)).toEqual(bodies);
  });

  it('briefs reads the worksheet from stdin and takes --catalog', () => {
    const { code, stdout } = cli(['briefs', '-', '--catalog', 'AWS'], readFileSync(`${ROOT}${EXAMPLE}`, 'utf8'));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { Catalog: string }[]).every((b) => b.Catalog === 'AWS')).toBe(true);
  });

  it('a bad worksheet exits 2 with the field errors', () => {
    const worksheet = JSON.parse(readFileSync(`${ROOT}${EXAMPLE}`, 'utf8')) as { aws: { accountId: string } };
    worksheet.aws.accountId = '1234';
    const { code, stdout, stderr } = cli(['briefs', '-'], JSON.stringify(worksheet));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('aws.accountId: must be exactly 12 digits');
  });

  it('estimate with a mistyped model id exits 2 naming the field, the rule and the closest ids, without a stack trace', () => {
    const worksheet = JSON.parse(readFileSync(`${ROOT}${EXAMPLE}`, 'utf8')) as { workload: { models: { modelId: string }[] } };
    worksheet.workload.models[0]!.modelId = 'anthropic.claude-sonet-4-6';
    const { code, stdout, stderr } = cli(['estimate', '-'], JSON.stringify(worksheet));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('workload.models[0].modelId: must be a Bedrock model id from the rate card; closest known ids: anthropic.claude-sonnet-4-6');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('briefs exits 1 when a drafted brief would not pass ACE, naming the problems', () => {
    const worksheet = JSON.parse(readFileSync(`${ROOT}${EXAMPLE}`, 'utf8')) as { company: { address: unknown } };
    worksheet.company.address = { countryCode: 'GB', city: 'London' }; // valid worksheet, but ACE needs a UK postcode
    const { code, stdout, stderr } = cli(['briefs', '-'], JSON.stringify(worksheet));
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as unknown[]).length).toBeGreaterThan(0);
    expect(stderr).toContain('Customer.Account.Address.PostalCode: is required for this country');
  });

  it('validate exits 0 for a valid body and prints an empty list', () => {
    const { code, stdout } = cli(['validate', '-'], JSON.stringify(validBody()));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it('validate exits 1 and prints every problem', () => {
    const body = { ...validBody(), Catalog: 'AWS', Origin: 'AWS Referral' };
    const { code, stdout, stderr } = cli(['validate', '-', '--catalog', 'Sandbox'], JSON.stringify(body));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      { field: 'Origin', rule: 'must be "Partner Referral" when Catalog is AWS' },
      { field: 'Catalog', rule: 'must be "Sandbox", the catalog configured for this environment' },
    ]);
    expect(stderr).toContain('2 problems');
  });

  it('validate reads a file', () => {
    const { code, stdout } = cli(['validate', SAMPLE]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([{ field: 'Catalog', rule: 'must be letters only: AWS or Sandbox' }]);
  });

  it.each([
    [['validate', '-'], 'not json', 'stdin is not valid JSON'],
    [['validate', 'no/such/file.json'], '', 'cannot read no/such/file.json'],
    [['launch', 'x.json'], '', 'unknown command "launch"'],
    [['validate'], '', 'validate needs a FILE'],
    [[], '', 'missing command'],
    [['briefs', EXAMPLE, '--catalog', 'Prod'], '', '--catalog must be AWS or Sandbox'],
    [['briefs', EXAMPLE, '--frobnicate'], '', "Unknown option '--frobnicate'"],
  ])('unusable input %j exits 2', (args, stdin, message) => {
    const { code, stderr } = cli(args, stdin);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
