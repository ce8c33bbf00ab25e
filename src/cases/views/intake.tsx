import type { Translate, MessageKey } from "../../web/i18n/index.js";
import { INTAKE_CATEGORIES } from "../schema.js";

export interface IntakeFormProps {
  t: Translate;
  lang: string;
  csrfToken: string;
  /** Field errors to show above the form, already worded. */
  error?: string;
  action?: string;
  staff?: boolean;
}

const OFFICER_SLOTS = 2;

/** The complaint form: one column, large targets, works without JavaScript. */
export function IntakeForm({ t, lang, csrfToken, error, action, staff }: IntakeFormProps) {
  return (
    <>
      <h1>{staff ? t("staff.newCase") : t("cases.fileTitle")}</h1>
      <p>{t("cases.fileIntro")}</p>
      {error ? <p class="error-box" role="alert">{error}</p> : null}
      <form method="post" action={action ?? `/complaints/new?lang=${lang}`} enctype="multipart/form-data" class="form-stack intake">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="language" value={lang} />
        <label>{t("cases.whatHappened")}
          <span class="hint">{t("cases.whatHappenedHint")}</span>
          <textarea name="narrative" rows={8} required minlength={10} maxlength={20000}></textarea>
        </label>
        <label>{t("cases.when")}<input type="date" name="incident_date" /></label>
        <label>{t("cases.time")}<input type="time" name="incident_time" /></label>
        <label>{t("cases.where")}<input type="text" name="location" autocomplete="off" maxlength={500} /></label>
        <label>{t("cases.district")}<input type="text" name="district" maxlength={100} /></label>
        <fieldset>
          <legend>{t("cases.kind")}</legend>
          {INTAKE_CATEGORIES.map((category) => (
            <label class="check"><input type="checkbox" name="categories" value={category} /> {t(`cases.category.${category}` as MessageKey)}</label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("cases.officers")}</legend>
          <p class="hint">{t("cases.officersHint")}</p>
          {Array.from({ length: OFFICER_SLOTS }, (_, i) => (
            <fieldset class="officer">
              <legend>{t("cases.officer", { n: i + 1 })}</legend>
              <label>{t("cases.officerName")}<input type="text" name={`officer_name_${i}`} maxlength={200} /></label>
              <label>{t("cases.officerBadge")}<input type="text" name={`officer_badge_${i}`} inputmode="numeric" maxlength={40} /></label>
              <label>{t("cases.officerVehicle")}<input type="text" name={`officer_vehicle_${i}`} maxlength={60} /></label>
              <label>{t("cases.officerDescription")}<input type="text" name={`officer_description_${i}`} maxlength={2000} /></label>
            </fieldset>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("cases.witnesses")}</legend>
          <label>{t("cases.witnessName")}<input type="text" name="witness_name_0" maxlength={200} /></label>
          <label>{t("cases.witnessContact")}<input type="text" name="witness_contact_0" maxlength={300} /></label>
        </fieldset>
        <label>{t("cases.evidence")}
          <span class="hint">{t("cases.evidenceHint")}</span>
          <input type="file" name="evidence" multiple accept="image/jpeg,image/png,application/pdf,video/mp4,audio/mpeg" />
        </label>
        <fieldset>
          <legend>{t("cases.aboutYou")}</legend>
          <label class="check"><input type="checkbox" name="anonymous" value="1" /> {t("cases.anonymous")}</label>
          <label class="check"><input type="checkbox" name="third_party" value="1" /> {t("cases.thirdParty")}</label>
          <label>{t("cases.yourName")}<input type="text" name="name" autocomplete="name" maxlength={200} /></label>
          <label>{t("cases.email")}<input type="email" name="email" autocomplete="email" maxlength={254} /></label>
          <label>{t("cases.phone")}<input type="tel" name="phone" autocomplete="tel" maxlength={40} /></label>
          <label>{t("cases.address")}<input type="text" name="address" autocomplete="street-address" maxlength={500} /></label>
          <label class="check"><input type="checkbox" name="contact_ok" value="1" /> {t("cases.contactOk")}</label>
          {staff ? (
            <label>Channel
              <select name="channel"><option value="phone">phone</option><option value="mail">mail</option><option value="in_person">in person</option><option value="email">email</option></select>
            </label>
          ) : null}
        </fieldset>
        <button type="submit">{t("cases.submit")}</button>
      </form>
    </>
  );
}

export function FiledView({ t, lang, caseNumber, receipt }: { t: Translate; lang: string; caseNumber: string; receipt: string }) {
  return (
    <section>
      <h1>{t("cases.filedTitle")}</h1>
      <p>{t("cases.filedIntro")}</p>
      <dl class="receipt">
        <dt>{t("cases.caseNumber")}</dt><dd><strong data-testid="case-number">{caseNumber}</strong></dd>
        <dt>{t("cases.receipt")}</dt><dd><strong data-testid="receipt">{receipt}</strong></dd>
      </dl>
      <p><a href={`/complaints/status?lang=${lang}`}>{t("cases.followLink")}</a></p>
    </section>
  );
}
