/**
 * TCP_NODELAY for PostgreSQL connections. postgres.js 3.4 never sets it, so a
 * COPY (CopyData messages, then a small CopyDone) waits on Nagle's algorithm and
 * the server's delayed ACK: ~40–90 ms per COPY statement on loopback, measured
 * here. libpq (psql) sets TCP_NODELAY, so the plain-COPY baseline does too.
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

/**
 * Prototype of the fix inside one benchmark process only: every TCP socket it
 * opens from now on sets TCP_NODELAY, as src/db/connect.ts would with
 * `socket: noDelaySocket`.
 */
export function forceNoDelay(): void {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    this.setNoDelay(true);
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
}

export interface CopyLatency {
  rowsPerCopy: number;
  /** Mean ms per COPY statement (each in its own transaction) through src/db/connect.ts as it is. */
  defaultMs: number;
  /** The same with TCP_NODELAY on the socket. */
  noDelayMs: number;
}

/**
 * Per-statement COPY latency through the project's own Db (db.copyRows), with
 * and without TCP_NODELAY, on a scratch table: the cost the importer pays once
 * per COPY (about a hundred COPYs per CPDP import).
 */
export async function copyLatency(databaseUrl: string): Promise<CopyLatency[]> {
  const { connect } = await import("../../src/db/connect.js");
  const sizes = [1, 1_000, 20_000];
  const measure = async () => {
    const db = await connect({ databaseUrl });
    try {
      await db.exec("DROP TABLE IF EXISTS bench_copy_latency; CREATE TABLE bench_copy_latency (a int, b text)");
      const result = new Map<number, number>();
      for (const n of sizes) {
        const rows = Array.from({ length: n }, (_, i) => [i, "x".repeat(100)]);
        await db.transaction((tx) => db.copyRows(tx, "bench_copy_latency", ["a", "b"], rows));
        const start = performance.now();
        for (let k = 0; k < 20; k++) await db.transaction((tx) => db.copyRows(tx, "bench_copy_latency", ["a", "b"], rows));
        result.set(n, (performance.now() - start) / 20);
      }
      await db.exec("DROP TABLE bench_copy_latency");
      return result;
    } finally {
      await db.close();
    }
  };
  const before = await measure();
  forceNoDelay();
  const after = await measure();
  return sizes.map((n) => ({ rowsPerCopy: n, defaultMs: before.get(n)!, noDelayMs: after.get(n)! }));
}
