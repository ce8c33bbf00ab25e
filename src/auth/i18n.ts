/** Text for sign-in and account pages. Merged into the site catalogs (web/i18n). */
export const authEn = {
  "auth.throttled": "Too many failed attempts to sign in. Wait {minutes} minute(s) and try again.",
  "account.confirmTitle": "Confirm it is you",
  "account.confirmIntro": "This page changes accounts or passwords. Enter your password again to go on; it is asked at most every ten minutes.",
  "account.confirmSubmit": "Confirm",
  "account.wrongPassword": "That password is not right.",
} as const;

export const authEs: Record<keyof typeof authEn, string> = {
  "auth.throttled": "Demasiados intentos fallidos de iniciar sesión. Espere {minutes} minuto(s) y vuelva a intentarlo.",
  "account.confirmTitle": "Confirme que es usted",
  "account.confirmIntro": "Esta página cambia cuentas o contraseñas. Vuelva a escribir su contraseña para seguir; se pide como mucho cada diez minutos.",
  "account.confirmSubmit": "Confirmar",
  "account.wrongPassword": "Esa contraseña no es correcta.",
};
