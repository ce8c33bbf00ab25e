import type { PetitionsTranslate } from "../i18n.js";
import { Csrf, ErrorBox, PetitionStyles, type Lang } from "./parts.js";

const Back = ({ t, lang, slug }: { t: PetitionsTranslate; lang: Lang; slug: string }) => (
  <p><a href={`/petitions/${slug}?lang=${lang}`}>{t("petitions.back")}</a></p>
);

/** After signing: the signature waits for the emailed link. */
export function SignedView({ t, lang, slug, title, email }: { t: PetitionsTranslate; lang: Lang; slug: string; title: string; email: string }) {
  return (
    <>
      <PetitionStyles />
      <div class="result-box" data-testid="signed">
        <h1>{t("petitions.signed.title")}</h1>
        <p class="petition-name">{title}</p>
        <p>{t("petitions.signed.body", { email })}</p>
        <p class="hint">{t("petitions.signed.spam")}</p>
      </div>
      <Back t={t} lang={lang} slug={slug} />
    </>
  );
}

/** A refused signature, with the reason in plain words. */
export function RefusedView({ t, lang, slug, title, message, reason }: { t: PetitionsTranslate; lang: Lang; slug: string; title: string; message: string; reason: string }) {
  return (
    <>
      <PetitionStyles />
      <h1>{title}</h1>
      <ErrorBox text={message} id="refused" />
      <p class="visually-hidden" data-testid="refused" data-reason={reason}>{reason}</p>
      <Back t={t} lang={lang} slug={slug} />
    </>
  );
}

/** The page an emailed link opens: a button, so link scanners that fetch the page do not confirm. */
export function ConfirmView({ t, lang, token, title, csrfToken }: { t: PetitionsTranslate; lang: Lang; token: string; title: string; csrfToken: string }) {
  return (
    <>
      <PetitionStyles />
      <h1>{t("petitions.confirm.title")}</h1>
      <p>{t("petitions.confirm.body", { title })}</p>
      <form method="post" action={`/petitions/confirm/${token}?lang=${lang}`}>
        <Csrf token={csrfToken} />
        <button type="submit" class="big-button">{t("petitions.confirm.button")}</button>
      </form>
    </>
  );
}

export function ConfirmedView({ t, lang, slug, title, already }: { t: PetitionsTranslate; lang: Lang; slug: string; title: string; already: boolean }) {
  return (
    <>
      <PetitionStyles />
      <div class="result-box" data-testid="confirmed">
        <h1>{already ? t("petitions.confirmed.already") : t("petitions.confirmed.title")}</h1>
        <p class="petition-name">{title}</p>
        {already ? null : <p>{t("petitions.confirmed.body")}</p>}
      </div>
      <Back t={t} lang={lang} slug={slug} />
    </>
  );
}

export function LinkProblemView({ t, lang, gone }: { t: PetitionsTranslate; lang: Lang; gone: boolean }) {
  return (
    <>
      <PetitionStyles />
      <h1>{t("petitions.confirm.title")}</h1>
      <ErrorBox text={gone ? t("petitions.confirm.gone") : t("petitions.confirm.bad")} />
      <p><a href={`/petitions?lang=${lang}`}>{t("petitions.title")}</a></p>
    </>
  );
}
