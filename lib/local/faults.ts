// Fault injection for the local runtime: make the next N invocations of a workflow function fail with a named error,
// as a broken dependency would in AWS, so the failure path, the failed list and a redrive can be seen (and tested)
// end to end. Only the local runtime has it: `POST /__local/faults {"function": "RoutePartner", "times": 1}`.
import type { Invoker } from './lambda-runtime.ts';
import { LambdaFunctionError } from './lambda-runtime.ts';

export interface Fault {
  /** Matches a function by a part of its ARN, name or logical id (e.g. `RoutePartner`). */
  readonly function: string;
  /** How many invocations fail. */
  times: number;
  readonly error: string;
  readonly message: string;
}

export class FaultInjector {
  readonly #faults: Fault[] = [];

  add(fault: { function: string; times?: number; error?: string; message?: string }): Fault {
    const f: Fault = { function: fault.function, times: fault.times ?? 1, error: fault.error ?? 'InjectedFault', message: fault.message ?? 'injected by the local runtime' };
    this.#faults.push(f);
    return f;
  }

  list(): readonly Fault[] {
    return this.#faults.filter((f) => f.times > 0);
  }

  /** The invoker the workflow engine uses: a matching fault fails the call before the handler runs. */
  wrap(inner: Invoker, nameOf: (ref: string) => string | undefined): Invoker {
    return {
      has: (ref) => inner.has(ref),
      invoke: async (ref, event) => {
        const name = nameOf(ref) ?? ref;
        const fault = this.#faults.find((f) => f.times > 0 && (name.includes(f.function) || ref.includes(f.function)));
        if (fault) {
          fault.times -= 1;
          throw new LambdaFunctionError(fault.error, fault.message);
        }
        return inner.invoke(ref, event);
      },
    };
  }
}
