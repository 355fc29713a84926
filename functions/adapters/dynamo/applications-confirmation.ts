/**
 * The founder's address confirmation in the application repository (./applications.ts; the rules are in
 * functions/core/address-confirmation.ts): conditional writes on the head's `addressConfirmation`. Only the functions
 * that mail or check a confirmation load it.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationRepository } from './applications.ts';
import { documentClient, isConditionFailure } from './client.ts';
import { applicationKey } from './keys.ts';

/** What these functions need of the repository: its table. */
type Table = Pick<ApplicationRepository, 'tableName'>;

/**
 * Store the hash of a newly mailed secret (replacing an unused one), while the application still waits drafted and
 * unconfirmed; false when it no longer does.
 */
export async function storeConfirmationSecret(repo: Table, id: string, args: { hash: string; number: number; now: Date; expiresAt: Date }): Promise<boolean> {
  try {
    await documentClient.send(new UpdateCommand({
      TableName: repo.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'SET #c.secretHash = :h, #c.expiresAt = :exp, #c.lastSentAt = :now',
      ConditionExpression: 'attribute_exists(#c) AND #status = :drafted AND attribute_not_exists(#c.confirmedAt) AND #c.requested = :n AND #c.sent < :n',
      ExpressionAttributeNames: { '#c': 'addressConfirmation', '#status': 'status' },
      ExpressionAttributeValues: { ':h': args.hash, ':exp': args.expiresAt.toISOString(), ':now': args.now.toISOString(), ':n': args.number, ':drafted': 'drafted' },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Record that confirmation mail `number` went out (never moves back). */
export async function markConfirmationSent(repo: Table, id: string, number: number): Promise<void> {
  await documentClient.send(new UpdateCommand({
    TableName: repo.tableName,
    Key: applicationKey(id),
    UpdateExpression: 'SET #c.sent = :n',
    ConditionExpression: 'attribute_exists(#c) AND #c.sent < :n',
    ExpressionAttributeNames: { '#c': 'addressConfirmation' },
    ExpressionAttributeValues: { ':n': number },
  })).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

/**
 * Use the secret: one conditional write that records the confirmation and removes the live hash (single use);
 * false when the secret is not the live one, has expired, or the application no longer waits.
 */
export async function confirmAddress(repo: Table, id: string, hash: string, now: Date): Promise<boolean> {
  try {
    await documentClient.send(new UpdateCommand({
      TableName: repo.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'SET #c.confirmedAt = :now, #c.confirmedHash = :h REMOVE #c.secretHash',
      ConditionExpression: '#status = :drafted AND #c.secretHash = :h AND #c.expiresAt > :now AND attribute_not_exists(#c.confirmedAt)',
      ExpressionAttributeNames: { '#c': 'addressConfirmation', '#status': 'status' },
      ExpressionAttributeValues: { ':h': hash, ':now': now.toISOString(), ':drafted': 'drafted' },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Ask for one more confirmation mail (`requested` goes from `expected` to `expected + 1`); false when raced or no longer waiting. */
export async function requestConfirmationMail(repo: Table, id: string, expected: number): Promise<boolean> {
  try {
    await documentClient.send(new UpdateCommand({
      TableName: repo.tableName,
      Key: applicationKey(id),
      UpdateExpression: 'SET #c.requested = :next',
      ConditionExpression: '#status = :drafted AND #c.requested = :n AND attribute_not_exists(#c.confirmedAt)',
      ExpressionAttributeNames: { '#c': 'addressConfirmation', '#status': 'status' },
      ExpressionAttributeValues: { ':n': expected, ':next': expected + 1, ':drafted': 'drafted' },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
