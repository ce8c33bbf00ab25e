/**
 * The email with a password reset link. It says what the link does, how long
 * it works, and what to do if the person did not ask; nothing else about the
 * account, since mail is copied, forwarded and kept.
 */
const TEXT = {
  en: (link: string, minutes: number) => ({
    subject: "Reset your Oversight password",
    text: `Someone asked to reset the password of the Oversight account that uses this email address.\n\nTo choose a new password, open this link within ${minutes} minutes. It works once:\n\n${link}\n\nIf you did not ask, ignore this email: your password stays the same. Tell the office's administrator if it happens again.`,
  }),
  es: (link: string, minutes: number) => ({
    subject: "Restablezca su contraseña de Oversight",
    text: `Alguien pidió restablecer la contraseña de la cuenta de Oversight que usa esta dirección de correo.\n\nPara elegir una contraseña nueva, abra este enlace antes de ${minutes} minutos. Funciona una sola vez:\n\n${link}\n\nSi no lo pidió, ignore este correo: su contraseña no cambia. Avise a la administración de la oficina si vuelve a ocurrir.`,
  }),
} as const;

/** The message in the account's stored language, else the language of the page the request came from. */
export function resetEmail(language: string | null, fallback: "en" | "es", v: { link: string; minutes: number }): { subject: string; text: string } {
  const lang = language === "es" || language === "en" ? language : fallback;
  return TEXT[lang](v.link, v.minutes);
}
