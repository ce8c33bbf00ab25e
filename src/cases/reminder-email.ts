import type { DeadlineKind } from "./deadlines.js";

/**
 * The reminder that a case's clock is overdue or due soon. Like the assignment
 * email it names the case and the clock and points to the staff page; nothing
 * about the complaint or who filed it.
 */
const CLOCK = {
  en: { acknowledgement: "acknowledgement", first_contact: "first contact", classification: "classification", discipline: "discipline" },
  es: { acknowledgement: "acuse de recibo", first_contact: "primer contacto", classification: "clasificación", discipline: "disciplina" },
} as const;

const TEXT = {
  en: (n: string, clock: string, overdue: boolean, due: string, link: string) => ({
    subject: `${n}: the ${clock} clock ${overdue ? "is overdue" : "is due soon"}`,
    text: `Case ${n}: the ${clock} clock ${overdue ? "is overdue" : "is due soon"} (due ${due} UTC).\n\nOpen ${link}`,
  }),
  es: (n: string, clock: string, overdue: boolean, due: string, link: string) => ({
    subject: `${n}: el plazo de ${clock} ${overdue ? "está vencido" : "vence pronto"}`,
    text: `Caso ${n}: el plazo de ${clock} ${overdue ? "está vencido" : "vence pronto"} (vence el ${due} UTC).\n\nÁbralo en ${link}`,
  }),
} as const;

export interface ReminderFacts {
  caseNumber: string;
  caseId: string;
  kind: DeadlineKind;
  overdue: boolean;
  dueAt: string | null;
  linkBase: string;
}

/**
 * The reminder in the reader's language; in English and Spanish together when
 * the language is not known (the office's shared address, or an account with
 * none stored).
 */
export function reminderEmail(language: string | null, facts: ReminderFacts): { subject: string; text: string } {
  const due = facts.dueAt ? facts.dueAt.slice(0, 16).replace("T", " ") : "—";
  const link = `${facts.linkBase}/staff/cases/${facts.caseId}`;
  const inLang = (lang: "en" | "es") => TEXT[lang](facts.caseNumber, CLOCK[lang][facts.kind], facts.overdue, due, link);
  if (language === "en" || language === "es") return inLang(language);
  const [en, es] = [inLang("en"), inLang("es")];
  return { subject: `${en.subject} / ${es.subject}`, text: `${en.text}\n\n---\n\n${es.text}` };
}
