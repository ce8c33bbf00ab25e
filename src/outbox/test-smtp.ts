/**
 * A real SMTP server on loopback for the outbox tests (smtp-server): it requires
 * AUTH, keeps every accepted message's raw DATA, and can be told to refuse
 * recipients (550) or to hold a message's reply until the test releases it.
 */
import { createServer } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** The raw message as the server received it, CRLF line ends. */
  raw: string;
  mailFrom: string;
  rcptTo: string[];
  /** Headers, unfolded, names lower-cased; the last one wins. */
  headers: Map<string, string>;
  /** Everything after the header block, line ends normalised to \n. */
  body: string;
}

export interface TestSmtp {
  url: string;
  port: number;
  user: string;
  pass: string;
  received: ReceivedMail[];
  /** Refuse every RCPT TO with this code and text while set. */
  rejectRecipients: { code: number; text: string } | null;
  /** While set, DATA is answered only once the promise resolves. */
  hold: Promise<void> | null;
  /** Resolves when the server has received `count` messages in all. */
  waitForMessages(count: number): Promise<ReceivedMail[]>;
  /** Resolves when a DATA transfer has arrived (it may still be held). */
  waitForData(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const user = "outbox";
  const pass = "s3cret:pass";
  const waiters: { count: number; resolve: (mail: ReceivedMail[]) => void }[] = [];
  const dataWaiters: (() => void)[] = [];
  const state: Pick<TestSmtp, "received" | "rejectRecipients" | "hold"> = { received: [], rejectRecipients: null, hold: null };

  const server = new SMTPServer({
    logger: false,
    // No TLS on loopback: STARTTLS would need a certificate the client trusts.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const reject = state.rejectRecipients;
      // Echo the address, as real servers do, so the tests prove it is redacted.
      if (reject) callback(Object.assign(new Error(`<${address.address}>: ${reject.text}`), { responseCode: reject.code }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        for (const wake of dataWaiters.splice(0)) wake();
        const finish = () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          state.received.push({ raw, mailFrom, rcptTo: session.envelope.rcptTo.map((r) => r.address), ...parseRaw(raw) });
          for (const waiter of [...waiters]) {
            if (state.received.length >= waiter.count) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(state.received.slice());
            }
          }
          callback();
        };
        if (state.hold) void state.hold.then(finish);
        else finish();
      });
    },
  });

  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });

  return Object.assign(state, {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    port,
    user,
    pass,
    waitForMessages(count: number) {
      if (state.received.length >= count) return Promise.resolve(state.received.slice());
      return new Promise<ReceivedMail[]>((resolve) => waiters.push({ count, resolve }));
    },
    waitForData() {
      return new Promise<void>((resolve) => dataWaiters.push(resolve));
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A loopback port nothing listens on (for "server down"). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function parseRaw(raw: string): Pick<ReceivedMail, "headers" | "body"> {
  const split = raw.indexOf("\r\n\r\n");
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : "";
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: body.replace(/\r\n/g, "\n") };
}

/** Collects log calls so tests can prove nothing personal was logged. */
export class MemoryLogger {
  readonly entries: { level: string; obj: object; msg?: string }[] = [];
  info(obj: object, msg?: string) {
    this.entries.push({ level: "info", obj, msg });
  }
  warn(obj: object, msg?: string) {
    this.entries.push({ level: "warn", obj, msg });
  }
  error(obj: object, msg?: string) {
    this.entries.push({ level: "error", obj, msg });
  }
  text(): string {
    return JSON.stringify(this.entries);
  }
}
