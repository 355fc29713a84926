// EventBridge Scheduler, locally: every AWS::Scheduler::Schedule in the synthesized template whose target is one of
// the stack's functions runs that function's handler on the movable clock (rate(...) expressions, and daily
// cron(M H * * ? *)). Moving the clock past a due time runs the schedule once, at the moved time, like a late
// Scheduler would (missed runs are not replayed one by one: the handlers work from "now", and a daily sweep that
// runs once after 30 days does everything 30 runs would have done).
//
// `settled()` resolves when every run started so far has finished, so POST /__local/clock answers after the work
// that the move made due.
import type { Clock, ClockTimer } from './clock.ts';
import type { Invoker } from './lambda-runtime.ts';
import type { CfnTemplate, Json } from './template-model.ts';

export interface ScheduleSpec {
  logicalId: string;
  expression: string;
  /** Logical id of the target function. */
  functionRef: string;
  input: unknown;
  enabled: boolean;
}

export interface ScheduleRun {
  schedule: string;
  at: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The period of a rate() expression, or a function giving the next due time after `t` for a daily cron(). */
export function nextDue(expression: string, after: number): number | undefined {
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression.trim());
  if (rate) return after + Number(rate[1]) * (UNIT_MS[rate[2] as string] as number);
  const cron = /^cron\((\d{1,2})\s+(\d{1,2})\s+\*\s+\*\s+\?\s+\*\)$/.exec(expression.trim());
  if (cron) {
    const d = new Date(after);
    const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Number(cron[2]), Number(cron[1]));
    return at > after ? at : at + UNIT_MS.day!;
  }
  return undefined;
}

function functionRefOf(arn: Json | undefined): string | undefined {
  if (arn && typeof arn === 'object' && !Array.isArray(arn)) {
    const getAtt = (arn as Record<string, Json>)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return typeof arn === 'string' ? arn : undefined;
}

export function readSchedules(template: CfnTemplate): ScheduleSpec[] {
  const out: ScheduleSpec[] = [];
  for (const [logicalId, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type !== 'AWS::Scheduler::Schedule') continue;
    const p = (r.Properties ?? {}) as Record<string, Json>;
    const target = (p.Target ?? {}) as Record<string, Json>;
    const functionRef = functionRefOf(target.Arn);
    if (!functionRef) continue;
    let input: unknown = {};
    if (typeof target.Input === 'string') {
      try {
        input = JSON.parse(target.Input);
      } catch {
        input = target.Input;
      }
    }
    out.push({ logicalId, expression: String(p.ScheduleExpression ?? ''), functionRef, input, enabled: p.State !== 'DISABLED' });
  }
  return out;
}

export class LocalScheduler {
  readonly specs: ScheduleSpec[];
  readonly runs: ScheduleRun[] = [];
  readonly #clock: Clock;
  readonly #invoker: Invoker;
  readonly #log: (line: string) => void;
  readonly #timers: ClockTimer[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #stopped = false;

  constructor(opts: { template: CfnTemplate; clock: Clock; invoker: Invoker; log?: (line: string) => void }) {
    this.#clock = opts.clock;
    this.#invoker = opts.invoker;
    this.#log = opts.log ?? (() => undefined);
    this.specs = readSchedules(opts.template).filter((s) => s.enabled && this.#invoker.has(s.functionRef));
  }

  start(): void {
    for (const spec of this.specs) {
      const first = nextDue(spec.expression, this.#clock.now());
      if (first === undefined) {
        this.#log(`warning: schedule ${spec.logicalId}: expression '${spec.expression}' is not supported locally`);
        continue;
      }
      this.#arm(spec, first);
    }
  }

  /** Runs one schedule now (tests and `POST /__local/schedules/run`). */
  runNow(logicalId?: string): Promise<void> {
    for (const spec of this.specs) if (!logicalId || spec.logicalId === logicalId) this.#run(spec);
    return this.settled();
  }

  /** Resolves once every run started so far has finished. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  describe(): string[] {
    return this.specs.map((s) => `${s.logicalId} ${s.expression} → ${s.functionRef}`);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers.splice(0)) t.cancel();
    await this.settled();
  }

  #arm(spec: ScheduleSpec, dueAt: number): void {
    if (this.#stopped) return;
    const timer = this.#clock.at(dueAt, () => {
      this.#timers.splice(this.#timers.indexOf(timer), 1);
      this.#run(spec);
      // The next due time after the (possibly moved) present: missed runs are not replayed one by one.
      let next = nextDue(spec.expression, dueAt) as number;
      while (next <= this.#clock.now()) next = nextDue(spec.expression, next) as number;
      this.#arm(spec, next);
    });
    this.#timers.push(timer);
  }

  #run(spec: ScheduleSpec): void {
    const at = new Date(this.#clock.now()).toISOString();
    const p = this.#invoker.invoke(spec.functionRef, spec.input).then(
      (result) => {
        this.runs.push({ schedule: spec.logicalId, at, ok: true, result });
      },
      (err: unknown) => {
        this.runs.push({ schedule: spec.logicalId, at, ok: false, error: String((err as Error)?.message ?? err) });
        this.#log(`schedule ${spec.logicalId} failed at ${at}: ${String((err as Error)?.message ?? err)}`);
      },
    );
    const tracked = p.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }
}
