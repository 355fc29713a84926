// EventBridge, locally: every AWS::Events::Rule of the synthesized template whose target is one of the stack's
// functions receives the events put on the local default bus (the local Partner Central publishes there), matched on
// the pattern's `source` and `detail-type` lists (the only fields the stack's rules use), and invokes the target's
// handler with the event, like EventBridge's Lambda target. A failed delivery is retried (EventBridge retries with
// back-off; here a few times, at once) and then logged; the reconciliation still brings the change.
// `settled()` resolves when every delivery started so far has finished (the reviewer endpoint answers after them).
import type { Invoker } from './lambda-runtime.ts';
import type { CfnTemplate, Json } from './template-model.ts';

export interface EventRuleSpec {
  readonly logicalId: string;
  readonly sources: readonly string[];
  readonly detailTypes: readonly string[];
  /** Logical ids of the target functions. */
  readonly functionRefs: readonly string[];
}

export interface EventDelivery {
  readonly rule: string;
  readonly eventId: string;
  readonly detailType: string;
  readonly ok: boolean;
  readonly attempts: number;
  readonly result?: unknown;
  readonly error?: string;
}

interface BusEvent {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
}

const stringList = (v: Json | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readEventRules(template: CfnTemplate): EventRuleSpec[] {
  const out: EventRuleSpec[] = [];
  for (const [logicalId, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type !== 'AWS::Events::Rule') continue;
    const p = (r.Properties ?? {}) as Record<string, Json>;
    if (p.State === 'DISABLED') continue;
    const pattern = (p.EventPattern ?? {}) as Record<string, Json>;
    const functionRefs = (Array.isArray(p.Targets) ? p.Targets : []).flatMap((t) => {
      const getAtt = ((t as Record<string, Json>).Arn as Record<string, Json> | undefined)?.['Fn::GetAtt'];
      return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? [getAtt[0]] : [];
    });
    out.push({ logicalId, sources: stringList(pattern.source), detailTypes: stringList(pattern['detail-type']), functionRefs });
  }
  return out;
}

export class LocalEventBus {
  readonly rules: EventRuleSpec[];
  readonly deliveries: EventDelivery[] = [];
  readonly #invoker: Invoker;
  readonly #log: (line: string) => void;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #attempts: number;

  constructor(opts: { template: CfnTemplate; invoker: Invoker; log?: (line: string) => void; attempts?: number }) {
    this.#invoker = opts.invoker;
    this.#log = opts.log ?? (() => undefined);
    this.#attempts = opts.attempts ?? 3;
    this.rules = readEventRules(opts.template).map((r) => ({ ...r, functionRefs: r.functionRefs.filter((f) => this.#invoker.has(f)) }));
  }

  /** PutEvents on the default bus: each matching rule's targets get the event. */
  put(event: BusEvent): void {
    for (const rule of this.rules) {
      if (rule.sources.length > 0 && !rule.sources.includes(event.source)) continue;
      if (rule.detailTypes.length > 0 && !rule.detailTypes.includes(event['detail-type'])) continue;
      for (const ref of rule.functionRefs) this.#track(this.#deliver(rule.logicalId, ref, event));
    }
  }

  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  describe(): string[] {
    return this.rules.map((r) => `${r.logicalId} ${r.sources.join(',')} [${r.detailTypes.join(', ')}] → ${r.functionRefs.join(', ')}`);
  }

  async #deliver(rule: string, ref: string, event: BusEvent): Promise<void> {
    let lastError = '';
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      try {
        const result = await this.#invoker.invoke(ref, event);
        this.deliveries.push({ rule, eventId: event.id, detailType: event['detail-type'], ok: true, attempts: attempt, result });
        return;
      } catch (error) {
        lastError = String((error as Error)?.message ?? error);
      }
    }
    this.deliveries.push({ rule, eventId: event.id, detailType: event['detail-type'], ok: false, attempts: this.#attempts, error: lastError });
    this.#log(`event ${event.id} (${event['detail-type']}) to ${rule} failed ${this.#attempts} times: ${lastError}`);
  }

  #track(p: Promise<void>): void {
    const tracked = p.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }
}
