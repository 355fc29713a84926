/**
 * Failures DynamoDB can answer with but dynalite never does (a throttled request, a process that dies between two
 * writes), injected into the repository's own document client (functions/adapters/dynamo/client.ts) before a request
 * leaves it. Each returns the undo: call it in a `finally` (or right after the call under test).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Makes sends of `command` (e.g. 'UpdateItemCommand') throw `failure()`: the `times` sends after the first `skip`
 * of them (the skipped ones reach DynamoDB as usual).
 */
export function failBefore(client: DynamoDBDocumentClient, command: string, failure: () => Error, opts: { times?: number; skip?: number } = {}): () => void {
  let skip = opts.skip ?? 0;
  let left = opts.times ?? 1;
  const name = `fail-${command}-${Math.random()}`;
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === command && skip > 0) skip -= 1;
    else if (context.commandName === command && left > 0) {
      left -= 1;
      throw failure();
    }
    return next(args);
  }, { step: 'initialize', name });
  return () => client.middlewareStack.remove(name);
}

/** DynamoDB's answer to a request over the table's throughput: not a failed condition (the SDK retries it, then gives up). */
export function throttled(): Error {
  return Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded (injected)'), { name: 'ProvisionedThroughputExceededException' });
}
