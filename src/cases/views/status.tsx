import type { Translate, MessageKey } from "../../web/i18n/index.js";
import type { ComplainantCase } from "../present.js";

export function LookupForm({ t, lang, csrfToken, failed }: { t: Translate; lang: string; csrfToken: string; failed?: boolean }) {
  return (
    <section>
      <h1>{t("cases.statusTitle")}</h1>
      <p>{t("cases.statusIntro")}</p>
      {failed ? <p class="error-box" role="alert">{t("cases.lookupFailed")}</p> : null}
      <form method="post" action={`/complaints/status?lang=${lang}`} class="form-stack">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <label>{t("cases.caseNumber")}<input type="text" name="case_number" required autocomplete="off" autocapitalize="characters" /></label>
        <label>{t("cases.receipt")}<input type="text" name="receipt" required autocomplete="off" inputmode="numeric" /></label>
        <button type="submit">{t("cases.lookup")}</button>
      </form>
    </section>
  );
}

/** The complainant's view of their case: state, history of what they may see, and a reply box. */
export function CaseStatus({ t, lang, csrfToken, view, sent }: { t: Translate; lang: string; csrfToken: string; view: ComplainantCase; sent?: boolean }) {
  const label = (text: string | null) => (text && /^state\./.test(text) ? t(text as MessageKey) : text);
  return (
    <section>
      <h1>{t("cases.caseNumber")} {view.caseNumber}</h1>
      <dl>
        <dt>{t("cases.state")}</dt><dd data-testid="state">{t(`state.${view.state}` as MessageKey)}</dd>
        <dt>{t("cases.received")}</dt><dd>{view.receivedOn}</dd>
      </dl>
      <h2>{t("cases.history")}</h2>
      <ol class="history">
        {view.history.map((event) => (
          <li><span class="source">{event.on} · {event.fromComplainant ? t("cases.you") : t("cases.office")}</span><br />{label(event.text)}</li>
        ))}
      </ol>
      {sent ? <p role="status">{t("cases.sent")}</p> : null}
      <form method="post" action={`/complaints/status/message?lang=${lang}`} class="form-stack">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <label>{t("cases.addInfo")}<textarea name="body" rows={5} required maxlength={10000}></textarea></label>
        <button type="submit">{t("cases.send")}</button>
      </form>
      <form method="post" action={`/complaints/status/close?lang=${lang}`}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button type="submit" class="secondary">{t("cases.signOutCase")}</button>
      </form>
    </section>
  );
}
