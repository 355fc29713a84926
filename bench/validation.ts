/**
 * A worksheet checked per request (`npm run bench -- validation`): the checker compiled from the zod schema
 * (functions/core/worksheet-shape.generated.ts, what intake, the revision and the estimate run) beside zod's own parse
 * of schemas/worksheet.ts, in one process, in alternating rounds so that both see the same load. For the valid example
 * worksheet and for one that breaks three rules (the answer with problems). Prints medians of the rounds and the ratio.
 */
import { readFileSync } from 'node:fs';
import { checkInput } from '../functions/core/input-shape.ts';
import { WorksheetShape } from '../functions/core/worksheet-shape.generated.ts';
import { parseWith } from '../schemas/issues.ts';
import { Worksheet } from '../schemas/worksheet.ts';

export interface ValidationRow { input: string; checker: string; 'µs per check': string; 'checks/s': string; 'zod ÷ compiled': string }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function microsPerCall(fn: () => unknown, calls: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) fn();
  return Number(process.hrtime.bigint() - start) / 1_000 / calls;
}

export function measureValidation(rounds = Number(process.env.BENCH_VALIDATION_ROUNDS ?? 15), calls = Number(process.env.BENCH_VALIDATION_CALLS ?? 2_000)): ValidationRow[] {
  const valid = JSON.parse(readFileSync(new URL('../examples/worksheet.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
  const broken = structuredClone(valid);
  (broken.workload as { models: { share: number }[] }).models[0]!.share = 0.9;
  broken.contact!.email = 'not-an-address';
  (broken.company!.address as Record<string, unknown>).postalCode = 'SW1A 1AA';
  const rows: ValidationRow[] = [];
  for (const [name, input] of [['the example worksheet (valid)', valid], ['three rules broken', broken]] as const) {
    const compiled = () => checkInput(WorksheetShape, input);
    const zod = () => parseWith(Worksheet, input);
    // Both give the same answer (test/unit/worksheet-shape.test.ts holds them to it); checked here too, so the bench
    // never times two different pieces of work.
    if (JSON.stringify(compiled()) !== JSON.stringify(zod())) throw new Error(`the checkers disagree on ${name}`);
    for (let i = 0; i < 500; i += 1) { compiled(); zod(); } // warm both up
    const times = { compiled: [] as number[], zod: [] as number[] };
    for (let r = 0; r < rounds; r += 1) {
      times.compiled.push(microsPerCall(compiled, calls));
      times.zod.push(microsPerCall(zod, calls));
    }
    const c = median(times.compiled);
    const z = median(times.zod);
    rows.push({ input: name, checker: 'compiled (input-shape)', 'µs per check': c.toFixed(1), 'checks/s': Math.round(1e6 / c).toLocaleString('en-US'), 'zod ÷ compiled': (z / c).toFixed(2) });
    rows.push({ input: name, checker: 'zod (schemas/worksheet.ts)', 'µs per check': z.toFixed(1), 'checks/s': Math.round(1e6 / z).toLocaleString('en-US'), 'zod ÷ compiled': '' });
  }
  return rows;
}

export function printValidation(rows: ValidationRow[]): void {
  console.log('\n== A worksheet checked per request: the compiled checker beside zod (one process, alternating rounds, medians) ==');
  console.table(rows);
}
