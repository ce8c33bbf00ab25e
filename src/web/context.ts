import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Db } from "../db/db.js";
import type { Role } from "../auth/roles.js";
import type { AuditKey } from "../audit/signing-key.js";
import type { Lang, Translate } from "./i18n/index.js";

/** Who is asking. Complainants act by receipt, not account, so they are never a user here. */
export type Actor =
  | { kind: "public" }
  | { kind: "user"; id: string; role: Role; displayName: string; email: string };

export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** Set when the database holds the synthetic demo records: every page says so. */
  demo: boolean;
  /** The server's secret key: receipt hashes, signed case-access cookies. */
  secret: Buffer;
  /** Signs the audit log's tree heads; kept outside the database (see audit/signing-key.ts). */
  auditKey?: AuditKey;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    lang: Lang;
    t: Translate;
    actor: Actor;
    /** The signed-in user's session (auth/service.ts SessionInfo); absent for the public. */
    session?: { id: string; authenticatedAt: number; twoFactor: boolean };
    csrfToken: string;
  };
};
