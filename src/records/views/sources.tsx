import type { Translate } from "../../web/i18n/index.js";
import type { presentSourceFile } from "../present.js";

type SourceItem = ReturnType<typeof presentSourceFile>;

export function SourcesView({ t, files }: { t: Translate; files: SourceItem[] }) {
  return (
    <>
      <h1>{t("sources.title")}</h1>
      <p>{t("sources.intro")}</p>
      <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}><table>
        <thead><tr><th scope="col">{t("sources.file")}</th><th scope="col" class="num">{t("sources.rows")}</th><th scope="col">{t("sources.importedAt")}</th><th scope="col">{t("sources.sha256")}</th></tr></thead>
        <tbody>{files.map((file) => (
          <tr id={file.sha256}><th scope="row"><a href={`/sources/${file.sha256}`}>{file.name}</a></th><td class="num">{file.rows}</td><td>{file.importedAt}</td><td><code>{file.sha256}</code></td></tr>
        ))}</tbody>
      </table></div>
    </>
  );
}

export function SourceFileView({ t, file }: { t: Translate; file: SourceItem }) {
  return (
    <>
      <h1>{file.name}</h1>
      <dl>
        <dt>{t("sources.sha256")}</dt><dd><code>{file.sha256}</code></dd>
        <dt>{t("sources.rows")}</dt><dd>{file.rows}</dd>
        <dt>{t("sources.importedAt")}</dt><dd>{file.importedAt}</dd>
      </dl>
      <p class="downloads"><a href={`/api/v1/sources/${file.sha256}`}>{t("common.downloadJson")}</a></p>
    </>
  );
}
