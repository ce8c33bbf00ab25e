import type { Lang } from "../../web/i18n/index.js";
import { isImage, TYPE_LABEL } from "./detect.js";
import { MAX_FILE_BYTES, MAX_FILES_PER_SUBMISSION } from "./check.js";
import type { EvidenceSummary } from "./store.js";

/** The list's own words, in both languages (kept here so the module wires in without touching the catalogs). */
const LABELS = {
  en: {
    title: "Evidence", none: "No evidence files.", type: "Type", size: "Size", sha: "SHA-256", custody: "Custody records", from: "From",
    name: "Original name (confidential)", open: "Open", download: "Export", original: "Export original", complainant: "complainant", staff: "office",
    notShared: "Not shown to the board: its metadata cannot be removed.", upload: "Add evidence", add: "Upload",
    limits: `Up to ${MAX_FILES_PER_SUBMISSION} files, ${MAX_FILE_BYTES / 1024 / 1024} MB each: JPEG, PNG, PDF, MP4, MP3. Photos are shared without their location and camera data.`,
  },
  es: {
    title: "Pruebas", none: "No hay archivos de pruebas.", type: "Tipo", size: "Tamaño", sha: "SHA-256", custody: "Registros de custodia", from: "De",
    name: "Nombre original (confidencial)", open: "Abrir", download: "Exportar", original: "Exportar original", complainant: "denunciante", staff: "oficina",
    notShared: "No se muestra a la junta: no se pueden quitar sus metadatos.", upload: "Agregar pruebas", add: "Subir",
    limits: `Hasta ${MAX_FILES_PER_SUBMISSION} archivos de ${MAX_FILE_BYTES / 1024 / 1024} MB cada uno: JPEG, PNG, PDF, MP4, MP3. Las fotos se comparten sin su ubicación ni datos de la cámara.`,
  },
} as const satisfies Record<Lang, Record<string, string>>;

export interface EvidenceListProps {
  lang: Lang;
  caseId: string;
  /** From evidenceForCase(db, caseId, { names: can(actor, "cases.readIdentity") }). */
  items: EvidenceSummary[];
  /** can(actor, "cases.work"): every item may be opened. Otherwise (the board) only images, which are stripped. */
  full: boolean;
  /** With a token, and `full`, the list ends with an upload form. */
  csrfToken?: string;
}

/** Human-readable size: 1.4 MB, 820 KB, 12 B. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** A case's evidence for the staff case page: type, size, hash prefix, custody count and a link to the stripped copy. */
export function EvidenceList({ lang, caseId, items, full, csrfToken }: EvidenceListProps) {
  const l = LABELS[lang];
  const names = items.some((item) => item.originalName !== null);
  return (
    <section aria-labelledby="evidence" id="evidence-list"><h2 id="evidence">{l.title}</h2>
      {items.length === 0 ? <p>{l.none}</p> : (
        <table class="evidence">
          <thead><tr>
            <th scope="col">{l.type}</th>{names ? <th scope="col">{l.name}</th> : null}<th scope="col">{l.size}</th><th scope="col">{l.sha}</th>
            <th scope="col">{l.from}</th><th scope="col">{l.custody}</th><th scope="col">{l.open}</th>
          </tr></thead>
          <tbody>{items.map((item) => {
            const href = `/staff/cases/${caseId}/evidence/${item.id}`;
            const shown = full || isImage(item.detectedType);
            return (
              <tr data-evidence={item.id}>
                <td>{TYPE_LABEL[item.detectedType]}</td>
                {names ? <td>{item.originalName ?? ""}</td> : null}
                <td>{formatSize(item.size)}</td>
                <td><code title={item.sha256}>{item.sha256.slice(0, 12)}</code></td>
                <td>{item.uploadedBy === "complainant" ? l.complainant : l.staff}</td>
                <td>{item.custodyCount}</td>
                <td>{shown ? <><a href={href}>{l.open}</a> · <a href={`${href}?download=1`}>{l.download}</a>{full ? <> · <a href={`${href}?original=1`}>{l.original}</a></> : null}</> : <span class="source">{l.notShared}</span>}</td>
              </tr>
            );
          })}</tbody>
        </table>
      )}
      {full && csrfToken ? (
        <form method="post" action={`/staff/cases/${caseId}/evidence`} enctype="multipart/form-data" class="form-stack">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label>{l.upload}<input type="file" name="evidence" multiple accept="image/jpeg,image/png,application/pdf,video/mp4,audio/mpeg,.jpg,.jpeg,.png,.pdf,.mp4,.mp3" /></label>
          <p class="source">{l.limits}</p>
          <button type="submit">{l.add}</button>
        </form>
      ) : null}
    </section>
  );
}
