/**
 * The `ace-filing` command line: size an ask, draft the ACE briefs, validate a CreateOpportunity body, and list
 * the data files the figures rest on with their age.
 * The only place in this flow that reads files, stdin and the clock; everything else is the pure core.
 *
 * Exit codes: 0 done, 1 the output has problems (validate, a drafted brief that fails validation, stale data),
 * 2 the input could not be used (usage, unreadable file, invalid JSON, invalid worksheet).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FieldProblem } from '../schemas/issues.ts';
import { parseWith } from '../schemas/issues.ts';
import type { Worksheet as WorksheetType } from '../schemas/worksheet.ts';
import { Worksheet } from '../schemas/worksheet.ts';
import { AceCatalog } from '../schemas/ace-opportunity.ts';
import { draftBriefs } from '../functions/core/ace/draft.ts';
import { validateCreateOpportunity } from '../functions/core/ace/validate.ts';
import type { Catalog } from '../functions/core/ace/validate.ts';
import { estimate } from '../functions/core/estimate.ts';
import { dataPolicy, fileAge, staleMessage } from '../functions/core/data-age.ts';
import { ValidationError } from '../functions/core/errors.ts';
import { renderDataTable, renderEstimateTable } from './estimate-table.ts';

export const EXIT = { ok: 0, problems: 1, badInput: 2 } as const;

export const USAGE = `Usage: ace-filing <command> FILE [options]

Commands:
  estimate FILE   Size the credit ask for a worksheet: forecast, programs and plan as JSON
  briefs FILE     Draft the ACE CreateOpportunity bodies for a worksheet, as a JSON array
  validate FILE   Validate a CreateOpportunity body; prints its problems (exit 1 if any)
  data            List every data file: its date, age, sources and what depends on it;
                  warns (exit 1) when one is older than data/data-policy.json allows
  benefits        List what a partner can apply for through the Partner Central Benefits API
                  (ListBenefits + GetBenefit with its registered role) and which program
                  data/benefits.json funds with each; warns (exit 1) when a configured id is missing

FILE is a JSON file, or - for stdin.

Options:
  --table                 estimate: print a readable table instead of JSON
  --json                  data: print the listing as JSON
  --catalog AWS|Sandbox   briefs: the catalog to file into (default Sandbox);
                          validate: also require the body's Catalog to be this one
  --application-id ID     briefs: the application the ClientTokens are derived from
                          (default: derived from the worksheet's content)
  --partner ID            benefits: the partner whose role is used (its profile: the table
                          when TABLE_NAME is set, else --partners FILE, default data/partners.json)
  -h, --help              Show this help

Exit codes: 0 ok, 1 problems found, 2 unusable input (bad JSON, invalid worksheet, usage).`;

export type Io = {
  readStdin: () => Promise<string>;
  readFile: (path: string) => Promise<string>;
  out: (text: string) => void;
  err: (text: string) => void;
  now: Date;
};

class InputError extends Error {
  constructor(message: string, readonly problems: FieldProblem[] = []) {
    super(message);
    this.name = 'InputError';
  }
}

type Options = { table: boolean; json: boolean; catalog?: Catalog; applicationId?: string; partner?: string; partners?: string };

function parseCommandLine(argv: string[]): { command?: string; file?: string; help: boolean; options: Options } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      table: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      catalog: { type: 'string' },
      'application-id': { type: 'string' },
      partner: { type: 'string' },
      partners: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  let catalog: Catalog | undefined;
  if (values.catalog !== undefined) {
    const parsed = AceCatalog.safeParse(values.catalog);
    if (!parsed.success) throw new InputError(`--catalog must be AWS or Sandbox, not "${values.catalog}"`);
    catalog = parsed.data;
  }
  if (positionals.length > 2) throw new InputError(`unexpected arguments: ${positionals.slice(2).join(' ')}`);
  return {
    command: positionals[0],
    file: positionals[1],
    help: values.help === true,
    options: {
      table: values.table === true, json: values.json === true, ...(catalog && { catalog }), ...(values['application-id'] && { applicationId: values['application-id'] }),
      ...(values.partner && { partner: values.partner }), ...(values.partners && { partners: values.partners }),
    },
  };
}

async function readJson(file: string, io: Io): Promise<{ text: string; value: unknown }> {
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new InputError(`${file === '-' ? 'stdin' : file} is not valid JSON: ${(error as Error).message}`);
  }
}

async function readWorksheet(file: string, io: Io): Promise<{ worksheet: WorksheetType; text: string }> {
  const { text, value } = await readJson(file, io);
  const parsed = parseWith(Worksheet, value);
  if (!parsed.ok) throw new InputError('the worksheet is invalid', parsed.problems);
  return { worksheet: parsed.value, text };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
const problemLines = (problems: readonly FieldProblem[]) => problems.map((p) => `  ${p.field}: ${p.rule}`).join('\n');

async function runEstimate(file: string, options: Options, io: Io): Promise<number> {
  const { worksheet } = await readWorksheet(file, io);
  const result = estimate(worksheet, { now: io.now });
  io.out(options.table ? renderEstimateTable(result) : json(result));
  return EXIT.ok;
}

async function runBriefs(file: string, options: Options, io: Io): Promise<number> {
  const { worksheet, text } = await readWorksheet(file, io);
  // Same worksheet, same ClientTokens: re-running the command never mints a second record's token.
  const applicationId = options.applicationId ?? `cli-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  const { plan } = estimate(worksheet, { now: io.now });
  const briefs = draftBriefs(worksheet, plan.filings, { now: io.now, catalog: options.catalog ?? 'Sandbox', applicationId });
  io.out(json(briefs.map((b) => b.body)));
  const failing = briefs.filter((b) => b.problems.length > 0);
  for (const brief of failing) io.err(`brief for ${brief.programId} does not pass validation:\n${problemLines(brief.problems)}`);
  return failing.length > 0 ? EXIT.problems : EXIT.ok;
}

async function runValidate(file: string, options: Options, io: Io): Promise<number> {
  const { value } = await readJson(file, io);
  const problems = validateCreateOpportunity(value, { now: io.now, ...(options.catalog && { catalog: options.catalog }) });
  io.out(json(problems));
  if (problems.length > 0) io.err(`${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problemLines(problems)}`);
  return problems.length > 0 ? EXIT.problems : EXIT.ok;
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** `ace-filing data`: every file the policy lists, read from this checkout and aged at `io.now`. */
async function runData(options: Options, io: Io): Promise<number> {
  const files = await Promise.all(
    dataPolicy.files.map(async (entry) => {
      let text: string;
      try {
        text = await io.readFile(resolve(ROOT, entry.file));
      } catch (error) {
        throw new InputError(`cannot read ${entry.file}: ${(error as Error).message}`);
      }
      return fileAge(entry, entry.file.endsWith('.json') ? (JSON.parse(text) as unknown) : undefined, io.now);
    }),
  );
  io.out(options.json ? json({ evaluatedOn: io.now.toISOString(), policy: `data/data-policy.json as of ${dataPolicy.asOf}`, files }) : renderDataTable(files, dataPolicy.asOf));
  const stale = files.filter((f) => f.stale);
  for (const f of stale) io.err(`warning: ${staleMessage(f)}`);
  return stale.length > 0 ? EXIT.problems : EXIT.ok;
}

const COMMANDS: Record<string, (file: string, options: Options, io: Io) => Promise<number>> = {
  estimate: runEstimate,
  briefs: runBriefs,
  validate: runValidate,
};

/** Commands that take no FILE. */
const FILELESS_COMMANDS: Record<string, (options: Options, io: Io) => Promise<number>> = {
  data: runData,
  // Talks to Partner Central (bin/benefits.ts): loaded only when asked for, so the other commands stay offline.
  benefits: async (options, io) => (await import('./benefits.ts')).runBenefits(options, io),
};

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { command, file, help, options } = parseCommandLine(argv);
    if (help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    const fileless = command ? FILELESS_COMMANDS[command] : undefined;
    if (fileless) {
      if (file) throw new InputError(`${command} takes no FILE`);
      return await fileless(options, io);
    }
    const run = command ? COMMANDS[command] : undefined;
    if (!run) throw new InputError(command ? `unknown command "${command}"` : 'missing command');
    if (!file) throw new InputError(`${command} needs a FILE (or - for stdin)`);
    return await run(file, options, io);
  } catch (caught) {
    // A rule the core checks while sizing (an unknown model id, with the closest known ids) is bad input too.
    const error = caught instanceof ValidationError ? new InputError('the worksheet is invalid', caught.problems) : caught;
    if (error instanceof InputError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`ace-filing: ${(error as Error).message}`);
      if (error instanceof InputError && error.problems.length > 0) io.err(problemLines(error.problems));
      if (!(error instanceof InputError && error.problems.length > 0)) io.err('Run ace-filing --help for usage.');
      return EXIT.badInput;
    }
    throw error;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the command line against the real process. */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2), {
    readStdin: () => readAll(process.stdin),
    readFile: (path) => readFile(path, 'utf8'),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    now: new Date(),
  });
  process.exitCode = code;
}

// `npm run cli` / `tsx bin/cli.ts` run this file directly; the `ace-filing` shim imports it and calls run().
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
