// `npm run -s reviewer`: play AWS's reviewer on the local Partner Central of a running `npm start`, through its admin
// endpoint (/__local/partner-central, lib/local/partner-central/admin.ts). Each move publishes Partner Central's
// `Opportunity Updated` event to the stack's rule; the answer says what the events handler did with it.
//
//   npm run -s reviewer -- list
//   npm run -s reviewer -- show O5550001
//   npm run -s reviewer -- in-review O5550001
//   npm run -s reviewer -- action-required O5550001 --comments "Add the customer's website" [--reason "Missing information"]
//   npm run -s reviewer -- approved O5550001 [--comments "..."]
//   npm run -s reviewer -- rejected O5550001 --closed-lost-reason "Customer Deficiency" [--comments "..."]
//   any move: [--event lost|duplicated] [--api http://127.0.0.1:3000]
// and the funding request's benefit application (Benefits API; no event locally: the reconciliation brings it):
//   npm run -s reviewer -- benefit-show benappl-…
//   npm run -s reviewer -- benefit-in-review benappl-…
//   npm run -s reviewer -- benefit-action-required benappl-… --reason "Attach the POC plan"
//   npm run -s reviewer -- benefit-approved benappl-… --amount 25000 [--starts 2027-01-01] [--expires 2027-12-31]
//   npm run -s reviewer -- benefit-rejected benappl-… --reason "Not eligible"
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run -s reviewer -- <list | show ID | in-review ID | action-required ID --comments TEXT [--reason TEXT]
                                | approved ID [--comments TEXT] | rejected ID --closed-lost-reason REASON [--comments TEXT]
                                | benefit-show BENAPPL | benefit-in-review BENAPPL | benefit-action-required BENAPPL --reason TEXT
                                | benefit-approved BENAPPL --amount USD [--starts DATE] [--expires DATE] | benefit-rejected BENAPPL --reason TEXT>
       [--event lost|duplicated] [--api URL (default http://127.0.0.1:$PORT or 3000)]`;

const BENEFIT_MOVES: Record<string, string> = {
  'benefit-in-review': 'IN_REVIEW', 'benefit-action-required': 'ACTION_REQUIRED', 'benefit-approved': 'APPROVED', 'benefit-rejected': 'REJECTED',
};

const MOVES: Record<string, string> = { 'in-review': 'In review', 'action-required': 'Action Required', approved: 'Approved', rejected: 'Rejected' };

/** The request a command line makes: method, path and body, or a usage error. */
export function reviewerRequest(argv: string[]): { method: 'GET' | 'POST'; path: string; body?: Record<string, unknown>; api: string } | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        comments: { type: 'string' }, reason: { type: 'string' }, 'closed-lost-reason': { type: 'string' }, event: { type: 'string' }, api: { type: 'string' },
        amount: { type: 'string' }, starts: { type: 'string' }, expires: { type: 'string' },
      },
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
  const { values, positionals } = parsed;
  const api = values.api ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
  const [command, id] = positionals;
  if (command === 'list') return { method: 'GET', path: '/__local/partner-central', api };
  if (command?.startsWith('benefit-')) {
    if (!id || !/^benappl-[0-9a-z]{14}$/.test(id)) return { error: 'give a benefit application id (benappl-…)' };
    const path = `/__local/partner-central/benefit-applications/${id}`;
    if (command === 'benefit-show') return { method: 'GET', path, api };
    const status = BENEFIT_MOVES[command];
    if (!status) return { error: `unknown command "${command}"` };
    return {
      method: 'POST', path: `${path}/review`, api,
      body: {
        status,
        ...(values.reason ? { reason: values.reason } : {}),
        ...(values.amount ? { amountUsd: values.amount } : {}),
        ...(values.starts ? { startsAt: values.starts } : {}),
        ...(values.expires ? { expiresAt: values.expires } : {}),
      },
    };
  }
  if (!command || !id || !/^O\d+$/.test(id)) return { error: 'give a command and an opportunity id (O…)' };
  if (command === 'show') return { method: 'GET', path: `/__local/partner-central/opportunities/${id}`, api };
  const status = MOVES[command];
  if (!status) return { error: `unknown command "${command}"` };
  if (values.event !== undefined && values.event !== 'lost' && values.event !== 'duplicated') return { error: '--event is lost or duplicated' };
  return {
    method: 'POST',
    path: `/__local/partner-central/opportunities/${id}/review`,
    api,
    body: {
      status,
      ...(values.comments ? { comments: values.comments } : {}),
      ...(values.reason ? { reason: values.reason } : {}),
      ...(values['closed-lost-reason'] ? { closedLostReason: values['closed-lost-reason'] } : {}),
      ...(values.event ? { event: values.event } : {}),
    },
  };
}

async function main(): Promise<number> {
  const request = reviewerRequest(process.argv.slice(2));
  if ('error' in request) {
    console.error(`${request.error}\n${USAGE}`);
    return 2;
  }
  let res: Response;
  try {
    res = await fetch(`${request.api}${request.path}`, {
      method: request.method,
      ...(request.body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.body) } : {}),
    });
  } catch {
    console.error(`No local runtime answers at ${request.api}: start it with npm start (or pass --api)`);
    return 1;
  }
  console.log(await res.text());
  return res.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) process.exitCode = await main();
