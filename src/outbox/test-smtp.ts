/**
 * A real SMTP server on loopback for the outbox tests and bench/outbox.ts
 * (smtp-server): it requires AUTH, keeps every accepted message's raw DATA and
 * when it was accepted, counts the sessions and DATA transfers open at once, and
 * can be told to refuse recipients (550), to refuse one chosen recipient, to hold
 * a message's reply until the test releases it, or to answer DATA after a delay
 * (a relay further away than loopback).
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
  /** When the server accepted it (ms since the epoch, sub-millisecond precision). */
  acceptedAt: number;
}

export interface TestSmtpOptions {
  /** Answer every DATA this many ms after it arrived. Default 0. */
  replyDelayMs?: number;
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
  /** Refuse RCPT TO for this one address (451, a temporary failure) while set. */
  rejectAddress: string | null;
  /** SMTP sessions open now, and the most that were ever open at once. */
  sessions: { open: number; max: number };
  /** DATA transfers that have arrived and are not answered yet, now and at most. */
  inData: { open: number; max: number };
  /** Resolves when the server has received `count` messages in all. */
  waitForMessages(count: number): Promise<ReceivedMail[]>;
  /** Resolves when a DATA transfer has arrived (it may still be held). */
  waitForData(): Promise<void>;
  /** Resolves when `count` DATA transfers are waiting for their answer at the same time (use with `hold`). */
  waitForDataAtOnce(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSmtp(options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const user = "outbox";
  const pass = "s3cret:pass";
  const replyDelayMs = Math.max(0, options.replyDelayMs ?? 0);
  const waiters: { count: number; resolve: (mail: ReceivedMail[]) => void }[] = [];
  const dataWaiters: (() => void)[] = [];
  const atOnceWaiters: { count: number; resolve: () => void }[] = [];
  const state: Pick<TestSmtp, "received" | "rejectRecipients" | "hold" | "rejectAddress" | "sessions" | "inData"> = {
    received: [],
    rejectRecipients: null,
    hold: null,
    rejectAddress: null,
    sessions: { open: 0, max: 0 },
    inData: { open: 0, max: 0 },
  };

  const server = new SMTPServer({
    logger: false,
    // No TLS on loopback: STARTTLS would need a certificate the client trusts.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    // The outbox opens several connections at once; the default limit would refuse some.
    maxClients: 1000,
    onConnect(_session, callback) {
      state.sessions.open += 1;
      state.sessions.max = Math.max(state.sessions.max, state.sessions.open);
      callback();
    },
    onClose() {
      state.sessions.open -= 1;
    },
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const reject = state.rejectAddress === address.address ? { code: 451, text: "4.2.0 mailbox busy, try again later" } : state.rejectRecipients;
      // Echo the address, as real servers do, so the tests prove it is redacted.
      if (reject) callback(Object.assign(new Error(`<${address.address}>: ${reject.text}`), { responseCode: reject.code }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        state.inData.open += 1;
        state.inData.max = Math.max(state.inData.max, state.inData.open);
        for (const wake of dataWaiters.splice(0)) wake();
        for (const waiter of [...atOnceWaiters]) {
          if (state.inData.open >= waiter.count) {
            atOnceWaiters.splice(atOnceWaiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
        const finish = () => {
          state.inData.open -= 1;
          const raw = Buffer.concat(chunks).toString("utf8");
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          const acceptedAt = performance.timeOrigin + performance.now();
          state.received.push({ raw, mailFrom, rcptTo: session.envelope.rcptTo.map((r) => r.address), ...parseRaw(raw), acceptedAt });
          for (const waiter of [...waiters]) {
            if (state.received.length >= waiter.count) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(state.received.slice());
            }
          }
          callback();
        };
        const delayed = () => (replyDelayMs > 0 ? setTimeout(finish, replyDelayMs) : finish());
        if (state.hold) void state.hold.then(delayed);
        else delayed();
      });
    },
  });
  // A client killed mid-session (the kill -9 tests) resets its socket: normal for a server, not a test failure.
  server.on("error", () => {});

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
    waitForDataAtOnce(count: number) {
      if (state.inData.open >= count) return Promise.resolve();
      return new Promise<void>((resolve) => atOnceWaiters.push({ count, resolve }));
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
