import type { Queryable } from "../db/db.js";
import { enqueueEmail } from "../outbox/index.js";
import * as repo from "./repo.js";

/**
 * Emails to complainants who asked to be contacted. They name the case and
 * point to the status page; they never carry the receipt, the complaint's text
 * or anything the office learned, since mailboxes are shared and forwarded.
 */
const TEXT = {
  en: {
    received: (n: string, link: string) => ({ subject: `Your complaint ${n} was received`, text: `The community oversight office received your complaint ${n}.\n\nFollow it at ${link} with your case number and the receipt you were shown when you filed.\n\nYou do not need to reply to this email.` }),
    message: (n: string, link: string) => ({ subject: `A new message about your complaint ${n}`, text: `The community oversight office sent you a message about your complaint ${n}.\n\nRead it at ${link} with your case number and receipt.` }),
  },
  es: {
    received: (n: string, link: string) => ({ subject: `Recibimos su queja ${n}`, text: `La oficina comunitaria de supervisión recibió su queja ${n}.\n\nSígala en ${link} con su número de caso y el recibo que se le mostró al presentarla.\n\nNo necesita responder este correo.` }),
    message: (n: string, link: string) => ({ subject: `Tiene un mensaje nuevo sobre su queja ${n}`, text: `La oficina comunitaria de supervisión le envió un mensaje sobre su queja ${n}.\n\nLéalo en ${link} con su número de caso y su recibo.` }),
  },
} as const;

/**
 * Queues a notice to the complainant if they gave an email and agreed to be
 * contacted; `linkBase` starts its link to the status page (see web/link-base.ts).
 * Returns whether one was queued.
 */
export async function notifyComplainant(tx: Queryable, caseId: string, kind: "received" | "message", linkBase: string): Promise<boolean> {
  const found = await repo.findCase(tx, caseId);
  const complainant = (await repo.peopleOf(tx, caseId)).find((p) => p.role === "complainant");
  if (!found || !complainant?.email || !complainant.contact_ok) return false;
  const lang = found.language === "es" ? "es" : "en";
  const message = TEXT[lang][kind](found.case_number, `${linkBase}/complaints/status`);
  const id = await enqueueEmail(tx, {
    to: complainant.email,
    ...message,
    template: `case.${kind}`,
    dedupeKey: kind === "received" ? `case.received:${caseId}` : undefined,
  }, { sealRecipient: true });
  return id !== null;
}
