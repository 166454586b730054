import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy that counts the bytes flowing from the server to the client and can drop every open
 * connection once a given count is reached, in the same tick as the data that reached it: a test
 * can break a connection in the middle of a large response, not before and not after. New
 * connections are still accepted afterwards, on the same port (a client reconnects through it).
 */
export async function startMeteredTcpProxy(targetHost: string, targetPort: number) {
  const sockets = new Set<Socket>();
  let received = 0;
  let dropAt = Number.POSITIVE_INFINITY;
  let dropped = () => {};

  function dropAll(): void {
    for (const socket of sockets) socket.destroy();
  }

  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    upstream.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received < dropAt) return;
      dropAt = Number.POSITIVE_INFINITY;
      dropAll();
      dropped();
    });
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    port,
    /** Server-to-client bytes so far, over all connections. */
    get received(): number {
      return received;
    },
    /** Drops every connection once `bytes` more have come from the server; resolves then. */
    dropAfter(bytes: number): Promise<void> {
      dropAt = received + bytes;
      return new Promise<void>((resolve) => {
        dropped = resolve;
      });
    },
    close(): Promise<void> {
      dropAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
