import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of Postgres that a test can cut and restore, to
 * simulate the database becoming unreachable without stopping the server
 * other tests share.
 */
export async function startTcpProxy(targetHost: string, targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  async function listen(): Promise<void> {
    server = createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => (server as Server).listen(port, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address === "object" && address) port = address.port;
  }

  await listen();
  return {
    get port() {
      return port;
    },
    /** Refuses new connections and drops the open ones. */
    async cut(): Promise<void> {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    },
    /** Accepts connections again on the same port. */
    restore: listen,
    close(): Promise<void> {
      return this.cut();
    },
  };
}
