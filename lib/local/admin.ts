// The local admin endpoints on the HTTP API's port (/__local/...): move and read the clock, the dev issuer's keys,
// the pending task-token waits. Only the local runtime has them; the deployed API has no such routes.
import type { ServerResponse } from 'node:http';
import type { MovableClock } from './clock.ts';
import type { DevIssuer } from './jwt.ts';
import type { LocalScheduler } from './schedules.ts';
import type { LocalStepFunctions } from './sfn/engine.ts';
import type { FaultInjector } from './faults.ts';

export interface LocalAdminDeps {
  readonly clock: MovableClock;
  /** Persists the clock's offset (with --data). */
  readonly saveClock: () => void;
  readonly issuer: DevIssuer;
  /** Bound once started (the engine and the schedules start after the servers). */
  readonly late: { readonly sfn?: LocalStepFunctions; readonly schedules?: LocalScheduler };
  /** Workflow functions made to fail on purpose (lib/local/faults.ts). */
  readonly faults: FaultInjector;
  /** The local Partner Central's reviewer desk (/__local/partner-central/..., lib/local/partner-central/admin.ts). */
  readonly partnerCentral?: (method: string, path: string, body: Buffer, send: Send) => Promise<boolean>;
}

type ClockRequest = { advanceMs?: number; advanceSeconds?: number; advanceDays?: number; to?: string };

/** Answers a /__local request (true), or leaves it to the API routes (false). */
export function localAdmin(deps: LocalAdminDeps): (method: string, url: string, body: Buffer, res: ServerResponse) => Promise<boolean> {
  const { clock, issuer, late } = deps;
  const clockView = (): Record<string, unknown> => ({ now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs(), pendingTimers: clock.pending() });

  async function moveClock(body: Buffer, send: Send): Promise<true> {
    let req: ClockRequest;
    try {
      req = body.length ? (JSON.parse(body.toString('utf8')) as ClockRequest) : {};
    } catch {
      return send(400, { message: 'body must be JSON: {"advanceSeconds": n} | {"advanceMs": n} | {"advanceDays": n} | {"to": ISO-8601}' });
    }
    try {
      if (req.to !== undefined) {
        const at = Date.parse(req.to);
        if (Number.isNaN(at) || at < clock.now()) return send(400, { message: '"to" must be an ISO-8601 time not before the current clock' });
        clock.set(at);
      } else {
        const ms = (req.advanceMs ?? 0) + (req.advanceSeconds ?? 0) * 1000 + (req.advanceDays ?? 0) * 86_400_000;
        clock.advance(ms);
      }
    } catch (err) {
      return send(400, { message: (err as Error).message });
    }
    deps.saveClock();
    // Answer once the schedules the move made due (e.g. the daily expiry sweep) have run.
    const runs = late.schedules?.runs.length ?? 0;
    await late.schedules?.settled();
    return send(200, { ...clockView(), scheduleRuns: late.schedules?.runs.slice(runs) ?? [] });
  }

  function addFault(body: Buffer, send: Send): true {
    let req: { function?: unknown; times?: unknown; error?: unknown };
    try {
      req = JSON.parse(body.toString('utf8') || '{}') as typeof req;
    } catch {
      return send(400, { message: 'body must be JSON: {"function": "RoutePartner", "times": 1, "error": "InjectedFault"}' });
    }
    if (typeof req.function !== 'string' || !req.function) return send(400, { message: '"function" (part of a function name, e.g. RoutePartner) is required' });
    return send(200, { fault: deps.faults.add({ function: req.function, ...(typeof req.times === 'number' ? { times: req.times } : {}), ...(typeof req.error === 'string' ? { error: req.error } : {}) }) });
  }

  return async (method, url, body, res) => {
    const send: Send = (status, b) => {
      const text = JSON.stringify(b, null, 2);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    };
    const path = url.split('?')[0] ?? '';
    if (path === '/__local/clock' && method === 'GET') return send(200, clockView());
    if (path === '/__local/clock' && method === 'POST') return moveClock(body, send);
    if (path === '/__local/jwks.json' && method === 'GET') return send(200, issuer.jwks());
    if (path === '/__local/tasks' && method === 'GET') {
      // Pending task-token waits, tokens shortened: tokens stay server-side (the handlers store them).
      const tasks = (late.sfn?.pendingTasks() ?? []).map((t) => ({ ...t, token: `${t.token.slice(0, 12)}…`, ...(t.timeoutAt ? { timeoutAt: new Date(t.timeoutAt).toISOString() } : {}) }));
      return send(200, { tasks });
    }
    if (path === '/__local/faults' && method === 'GET') return send(200, { faults: deps.faults.list() });
    if (path === '/__local/faults' && method === 'POST') return addFault(body, send);
    if (path === '/__local' || path === '/__local/') {
      return send(200, {
        endpoints: ['GET /__local/clock', 'POST /__local/clock', 'GET /__local/jwks.json', 'GET /__local/tasks', 'GET /__local/faults', 'POST /__local/faults',
          'GET /__local/partner-central', 'GET /__local/partner-central/opportunities/{id}', 'POST /__local/partner-central/opportunities/{id}/review',
          'POST /__local/partner-central/opportunities/{id}/console-edit', 'POST /__local/partner-central/roles',
          'GET /__local/partner-central/benefit-applications/{id}', 'POST /__local/partner-central/benefit-applications/{id}/review'],
      });
    }
    if (deps.partnerCentral) return deps.partnerCentral(method, path, body, send);
    return false;
  };
}

type Send = (status: number, body: unknown) => true;
