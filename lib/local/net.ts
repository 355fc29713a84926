// Small helpers for the local servers.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on host:port (0 = a free port) and returns the base URL. */
export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const a = server.address() as AddressInfo;
      resolve(`http://${host}:${a.port}`);
    });
  });
}

export function urlOf(server: Server, host: string): string {
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** Closes a server, dropping idle keep-alive connections so that close() does not wait for clients. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
    setImmediate(() => server.closeAllConnections());
  });
}
