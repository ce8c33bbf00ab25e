/**
 * TCP_NODELAY for the plain-COPY baseline's own connection, as libpq (psql)
 * and src/db/connect.ts set it: without it every COPY waits 40–90 ms on
 * Nagle's algorithm and the server's delayed ACK.
 */
import net from "node:net";

interface SocketOptions {
  host: string[];
  port: number[];
  path?: string;
}

/** A postgres.js `socket` option: connects with TCP_NODELAY (or to the unix socket when a path is given). */
export function noDelaySocket(options: SocketOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = options.path ? net.connect({ path: options.path }) : net.connect({ host: options.host[0], port: options.port[0], noDelay: true });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}
