/** Text for sign-in and account pages. Merged into the site catalogs (web/i18n). */
export const authEn = {
  "auth.throttled": "Too many failed attempts to sign in. Wait {minutes} minute(s) and try again.",
} as const;

export const authEs: Record<keyof typeof authEn, string> = {
  "auth.throttled": "Demasiados intentos fallidos de iniciar sesión. Espere {minutes} minuto(s) y vuelva a intentarlo.",
};
