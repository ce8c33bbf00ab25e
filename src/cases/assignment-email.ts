/**
 * The email telling a staff member a case was assigned to them. It names the
 * case and who assigned it, and points to the staff page; nothing about the
 * complaint or who filed it, since mail is copied, forwarded and kept.
 */
const TEXT = {
  en: (n: string, by: string, path: string) => ({
    subject: `Case ${n} is assigned to you`,
    text: `${by} assigned case ${n} to you.\n\nOpen it at ${path} after signing in.\n\nThis email holds no details of the complaint: they are only on the staff pages.`,
  }),
  es: (n: string, by: string, path: string) => ({
    subject: `Se le asignó el caso ${n}`,
    text: `${by} le asignó el caso ${n}.\n\nÁbralo en ${path} después de iniciar sesión.\n\nEste correo no contiene detalles de la queja: solo están en las páginas del personal.`,
  }),
} as const;

const OFFICE = { en: "The office", es: "La oficina" } as const;

/** The message in the assignee's stored language; English when none is stored or it is unknown. */
export function assignmentEmail(language: string | null, v: { caseNumber: string; caseId: string; assignedBy: string | null; linkBase: string }): { subject: string; text: string } {
  const lang = language === "es" ? "es" : "en";
  return TEXT[lang](v.caseNumber, v.assignedBy ?? OFFICE[lang], `${v.linkBase}/staff/cases/${v.caseId}`);
}
