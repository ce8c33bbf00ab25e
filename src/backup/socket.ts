import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "../db/db.js";
import { noteLockOwner } from "../db/data-dir.js";

/**
 * How `oversight backup` reaches a running server. Only one process may open a
 * PGlite directory, so the server that holds it makes the copy: it listens on a
 * unix socket in a private directory (mode 0700, the socket 0600: only the
 * account that runs the site, which can read the data directory anyway, may
 * connect) and names the socket in its lock file. The socket is not inside the
 * data directory because PGlite's dump cannot copy a socket file.
 *
 * The exchange: the client sends `dump\n`; the server answers one JSON line,
 * `{"size":N}` or `{"error":"…"}`, then N bytes of the data directory's tar.
 */
export interface BackupSocket {
  path: string;
  close(): Promise<void>;
}

export async function startBackupSocket(db: Db, dataDir: string, onError: (error: unknown) => void): Promise<BackupSocket | undefined> {
  const dumpFiles = db.dumpFiles;
  if (!dumpFiles) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "oversight-"));
  const path = join(dir, "backup.sock");
  const server = net.createServer((socket) => {
    socket.on("error", () => socket.destroy());
    let request = "";
    socket.on("data", (chunk: Buffer) => {
      request += chunk.toString("utf8");
      if (!request.includes("\n")) {
        if (request.length > 64) socket.destroy();
        return;
      }
      socket.removeAllListeners("data");
      if (request.trim() !== "dump") {
        socket.end(`${JSON.stringify({ error: "unknown request" })}\n`);
        return;
      }
      dumpFiles().then(
        (bytes) => {
          socket.write(`${JSON.stringify({ size: bytes.byteLength })}\n`);
          socket.end(bytes);
        },
        (error: unknown) => {
          onError(error);
          socket.end(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  noteLockOwner(dataDir, { backupSocket: path });
  return {
    path,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Asks the server listening on `path` for a copy of its data directory (a tar). */
export function requestDump(path: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path });
    const chunks: Buffer[] = [];
    socket.on("connect", () => socket.write("dump\n"));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => reject(new Error(`the running server did not answer on ${path} (${error.code ?? error.message})`)));
    socket.on("end", () => {
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(0x0a);
      let head: { size?: number; error?: string };
      try {
        head = JSON.parse(all.subarray(0, newline).toString("utf8"));
      } catch {
        reject(new Error("the running server's answer could not be read"));
        return;
      }
      if (head.error !== undefined) return reject(new Error(`the running server could not copy its data: ${head.error}`));
      const body = all.subarray(newline + 1);
      if (body.length !== head.size) return reject(new Error(`the running server's copy was cut short (${body.length} of ${head.size} bytes)`));
      resolve(body);
    });
  });
}
