// SES stand-in: aws-ses-v2-local as a library (SES v1 and v2 send APIs; inbox page at `/`, `GET /store` to read mail
// back, `POST /clear-store` to empty it). Its store is per process: two runtimes in one process share the inbox.
import type { Server } from 'node:http';
import * as sesModule from 'aws-ses-v2-local';
import { closeServer, urlOf } from './net.ts';

type SesStart = (config?: { host?: string; port?: number }) => Promise<Server>;

export interface SesHandle {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startSes(opts: { host: string; port: number }): Promise<SesHandle> {
  const m = sesModule as unknown as { default: SesStart | { default: SesStart } };
  const start = (typeof m.default === 'function' ? m.default : m.default.default) as SesStart;
  const server = await start({ host: opts.host, port: opts.port });
  if (!server.listening) throw new Error(`SES stand-in could not listen on ${opts.host}:${opts.port} (port in use? set --ses-port / SES_PORT)`);
  return { url: urlOf(server, opts.host), server, close: () => closeServer(server) };
}
