import { Hono, type Context } from "hono";
import { authorize, can } from "../../auth/authorize.js";
import { uuidSchema } from "../../records/schema.js";
import type { AppEnv } from "../../web/context.js";
import { badRequest, forbidden, notFound } from "../../web/errors.js";
import { parseParam } from "../../web/validate.js";
import { filesFromForm } from "../form.js";
import { evidenceFromFiles } from "./check.js";
import { EXTENSION, isImage } from "./detect.js";
import { openEvidence, storeEvidence } from "./store.js";
import { assertMayReadCase } from "../staff-view.js";

/**
 * Evidence for staff.
 *
 * GET /staff/cases/:id/evidence/:evidenceId answers the stripped copy of one
 * item (a PDF: its rendered pages) as a download, and records custody 'viewed',
 * or 'exported' with ?download=1, with its audit entry. With ?original=1, staff
 * who work cases (cases.work) export the original evidence as received (custody
 * 'exported' with the original's hash): for a prosecutor or a court, who need
 * the very bytes whose hash the custody log holds.
 *   - admin, intake, investigator (cases.work): any item of the case.
 *   - board_member: images only (JPEG, PNG), whose metadata is stripped; PDFs,
 *     video and audio are refused (403) because their metadata — a PDF's author,
 *     a phone video's recording place — is not removed, and the board judges
 *     without knowing who complained. Board members never see original file
 *     names: evidenceForCase leaves them out unless asked with cases.readIdentity,
 *     and the download is named by hash.
 *   - everyone else: signed-out visitors and complainants are sent to sign in,
 *     other roles get 403 — as on every staff page.
 *
 * POST /staff/cases/:id/evidence (cases.work) adds files to a case: multipart
 * field `evidence`, the same limits as intake, all or nothing.
 */
export function evidenceRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const staffUser = (c: Context<AppEnv>) => {
    const actor = c.get("actor");
    if (actor.kind !== "user") return null;
    authorize(actor, "cases.read");
    return actor;
  };
  const toLogin = (c: Context<AppEnv>) => c.redirect(`/login?lang=${c.get("lang")}`, 303);

  app.get("/staff/cases/:id/evidence/:evidenceId", async (c) => {
    const actor = staffUser(c);
    if (!actor) return toLogin(c);
    const caseId = parseParam(c, "id", uuidSchema);
    const evidenceId = parseParam(c, "evidenceId", uuidSchema);
    const original = c.req.query("original") === "1";
    const exported = original || c.req.query("download") === "1";
    const everything = can(actor, "cases.work");
    if (original && !everything) throw forbidden();
    // Before the custody log records a view: a case the actor may not read is "not found".
    await assertMayReadCase(c.get("deps").db, actor, caseId);
    const opened = await c.get("deps").db.transaction((tx) =>
      openEvidence(tx, caseId, evidenceId, `user:${actor.id}`, exported ? "exported" : "viewed", (type) => everything || isImage(type), new Date(), original ? "original" : "shared"),
    );
    if (opened === null) throw notFound();
    if (opened === "refused") throw forbidden();
    // Named by hash: the original name is confidential, and a download's name ends up in folders and histories.
    const filename = `evidence-${opened.sha256.slice(0, 12)}${original ? "-original" : ""}.${EXTENSION[opened.detectedType]}`;
    return new Response(opened.bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: {
        "Content-Type": opened.detectedType,
        "Content-Length": String(opened.bytes.length),
        "Content-Disposition": `attachment; filename="${filename}"`,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        // Were it ever rendered in place, it could run nothing and reach nothing.
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cross-Origin-Resource-Policy": "same-origin",
        "X-Evidence-SHA256": opened.sha256,
      },
    });
  });

  app.post("/staff/cases/:id/evidence", async (c) => {
    const actor = staffUser(c);
    if (!actor) return toLogin(c);
    authorize(actor, "cases.work");
    const caseId = parseParam(c, "id", uuidSchema);
    const body = await c.req.parseBody({ all: true });
    // Every file is checked (count, size, real type, cleanable) before anything is written.
    const files = await evidenceFromFiles(filesFromForm(body));
    if (files.length === 0) throw badRequest("evidence: no file was attached");
    await c.get("deps").db.transaction(async (tx) => {
      const [found] = await tx.query("SELECT 1 FROM cases WHERE id = $1 FOR UPDATE", [caseId]);
      if (!found) throw notFound();
      for (const file of files) await storeEvidence(tx, caseId, file, `user:${actor.id}`);
    });
    return c.redirect(`/staff/cases/${caseId}#evidence-list`, 303);
  });

  return app;
}
