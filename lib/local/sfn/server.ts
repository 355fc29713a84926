// The Step Functions JSON 1.0 wire protocol in front of LocalStepFunctions: every call is `POST /` with
// `x-amz-target: AWSStepFunctions.<Operation>` and the operation's input as JSON; answers are JSON with timestamps as
// epoch seconds, errors a 400 `{ "__type": "...#<ErrorName>", "message": ... }` that the SDK raises as `<ErrorName>`.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { SfnApiError } from './engine.ts';

/** Anything that dispatches Step Functions operations (LocalStepFunctions). */
export interface SfnDispatcher {
  call(operation: string, body: Record<string, unknown>): unknown;
}

const CONTENT_TYPE = 'application/x-amz-json-1.0';

export function createSfnServer(sfn: SfnDispatcher, log: (line: string) => void = () => undefined): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestId = randomUUID();
      const send = (status: number, body: unknown): void => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      const fail = (type: string, message: string, status = 400): void =>
        send(status, { __type: `com.amazonaws.swf.service.v2.model#${type}`, message });
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || !target.startsWith('AWSStepFunctions.')) {
        fail('UnknownOperationException', 'Expected POST / with x-amz-target: AWSStepFunctions.<Operation>');
        return;
      }
      const operation = target.slice('AWSStepFunctions.'.length);
      let body: Record<string, unknown>;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        fail('SerializationException', 'Request body is not valid JSON');
        return;
      }
      try {
        send(200, sfn.call(operation, body) ?? {});
      } catch (err) {
        if (err instanceof SfnApiError) fail(err.type, err.message);
        else {
          log(`local Step Functions: ${operation} failed: ${(err as Error).stack ?? String(err)}`);
          fail('InternalFailure', (err as Error).message, 500);
        }
      }
    });
  });
}
