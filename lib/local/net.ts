// Small helpers for the local servers.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The environment variable (and flag) that moves each default port. */
const PORT_SETTINGS: Record<number, string> = {
  3000: 'PORT=<port> (or --port)',
  8000: 'DYNAMODB_PORT=<port> (or --dynamo-port)',
  8005: 'SES_PORT=<port> (or --ses-port)',
  8083: 'SFN_PORT=<port> (or --sfn-port)',
  8090: 'PARTNER_CENTRAL_PORT=<port> (or --partner-central-port)',
};

/** Listens on host:port (0 = a free port) and returns the base URL. */
export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error & { code?: string }): void => {
      if (err.code === 'EADDRINUSE') {
        // Say which setting moves it: the stand-ins have one each (README, "Running locally").
        const hint = PORT_SETTINGS[port] ?? 'PORT, DYNAMODB_PORT, SES_PORT or SFN_PORT';
        reject(new Error(`${host}:${port} is already in use; choose another port with ${hint}`, { cause: err }));
        return;
      }
      reject(err);
    };
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
