import type { JSX } from "hono/jsx/jsx-runtime";
import type { MessageKey, Translate } from "../../web/i18n/index.js";
import { FINDINGS } from "../../records/vocab.js";
import { BOARD_VOTES } from "../board.js";
import { TOLLING_KINDS } from "../deadlines.js";
import type { StaffActor, StaffCase } from "../staff-present.js";

export interface StaffCaseProps {
  t: Translate;
  view: StaffCase;
  csrfToken: string;
  userId: string;
  /** assign: any case to anyone eligible (intake, admins); claim: take an unassigned case or give back one's own (investigators). */
  can: { work: boolean; vote: boolean; decide: boolean; identity: boolean; assign: boolean; claim: boolean };
  error?: string;
  /** The case's evidence list (EvidenceList from ../evidence/views.js). */
  evidence?: JSX.Element;
  /** Active board members, for the panel form (admins only). */
  boardMembers?: { id: string; name: string }[];
  /** Active investigators and admins, for the assignment form (can.assign only). */
  assignable?: { id: string; name: string; role: string }[];
}

const findingLabel = (t: Translate, finding: string | null) => (finding ? t(`finding.${finding}` as MessageKey) : "—");

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** One case, for the office: clocks, parties, allegations, and every action the actor may take. */
export function StaffCaseView(props: StaffCaseProps) {
  const { t, view } = props;
  return (
    <>
      <h1>{t("staff.caseTitle", { number: view.caseNumber })}</h1>
      {props.error ? <p class="error-box" role="alert">{props.error}</p> : null}
      <p><strong>{t("staff.state")}:</strong> <span data-testid="state">{t(`state.${view.state}` as MessageKey)}</span>
        {view.publishedComplaint ? <> · <a href={`/complaints/${view.publishedComplaint}`}>{t("staff.published")}</a></> : null}</p>
      <Assignment {...props} />
      <Clocks {...props} />
      {props.can.work ? <Transitions {...props} /> : null}
      <section aria-labelledby="narrative"><h2 id="narrative">{t("staff.narrative")}</h2><p class="narrative">{view.narrative}</p>
        <p class="source">{view.incidentDate ?? "—"} {view.incidentTime ?? ""} · {view.location ?? ""} {view.district ?? ""} · {view.channel}</p></section>
      {props.can.identity ? <Parties {...props} /> : null}
      {props.can.identity || props.can.decide ? <Retention {...props} /> : null}
      <Officers {...props} />
      <Allegations {...props} />
      {props.evidence ?? null}
      {props.can.work ? <Actions {...props} /> : null}
      {props.can.decide ? <Panel {...props} /> : null}
      <Board {...props} />
      <History {...props} />
    </>
  );
}

/** Whether the contact details are kept past retention (a legal hold, set by administrators) or already deleted. */
function Retention({ t, view, csrfToken, can }: StaffCaseProps) {
  return (
    <section aria-labelledby="retention"><h2 id="retention">{t("staff.retention")}</h2>
      <p data-testid="legal-hold">{view.contactDeletedAt ? t("staff.contactDeleted", { date: view.contactDeletedAt.slice(0, 10) }) : view.legalHold ? t("staff.legalHoldOn") : t("staff.legalHoldOff")}</p>
      {can.decide && !view.contactDeletedAt ? (
        <form method="post" action={`/staff/cases/${view.id}/legal-hold`} class="inline">
          <Csrf token={csrfToken} />
          <input type="hidden" name="hold" value={view.legalHold ? "0" : "1"} />
          <button type="submit">{view.legalHold ? t("staff.liftLegalHold") : t("staff.placeLegalHold")}</button>
        </form>
      ) : null}
    </section>
  );
}

function Assignment({ t, view, csrfToken, can, userId, assignable = [] }: StaffCaseProps) {
  const current = view.assignedTo;
  const currentName = current ? current.name ?? t("staff.actor.unknown") : null;
  // A current assignee who is no longer eligible stays selectable, so saving the form never drops them by accident.
  const options = current && !assignable.some((s) => s.id === current.id) ? [{ id: current.id, name: currentName!, role: "" }, ...assignable] : assignable;
  const roleLabel = (role: string) => (role === "investigator" || role === "admin" ? ` (${t(`staff.role.${role}`)})` : "");
  return (
    <section aria-labelledby="assignment"><h2 id="assignment">{t("staff.assign.title")}</h2>
      <p>{t("staff.assign.current")}: <strong data-testid="assignee">{currentName ?? t("staff.assign.nobody")}</strong></p>
      {can.assign ? (
        <form method="post" action={`/staff/cases/${view.id}/assignment`} class="inline">
          <Csrf token={csrfToken} />
          <label>{t("staff.assign.to")}
            <select name="user_id">
              <option value="" selected={!current}>{t("staff.assign.nobody")}</option>
              {options.map((s) => <option value={s.id} selected={current?.id === s.id}>{s.name}{roleLabel(s.role)}</option>)}
            </select>
          </label>
          <button type="submit">{t("staff.assign.save")}</button>
        </form>
      ) : can.claim && (!current || current.id === userId) ? (
        <form method="post" action={`/staff/cases/${view.id}/assignment`} class="inline">
          <Csrf token={csrfToken} />
          <input type="hidden" name="user_id" value={current ? "" : userId} />
          <button type="submit">{current ? t("staff.assign.giveBack") : t("staff.assign.take")}</button>
        </form>
      ) : null}
    </section>
  );
}

function Clocks({ t, view }: StaffCaseProps) {
  return (
    <section aria-labelledby="clocks"><h2 id="clocks">{t("staff.deadlines")}</h2>
      <ul>{view.deadlines.map((d) => <li class={`deadline ${d.status}`}>{t(`staff.deadline.${d.kind}` as MessageKey)}: {t(`staff.status.${d.status}` as MessageKey)}{d.doneAt ? ` (${d.doneAt.slice(0, 10)})` : d.dueAt ? ` (${d.dueAt.slice(0, 10)})` : ""}{d.tolledDays ? ` +${d.tolledDays}` : ""}</li>)}</ul>
    </section>
  );
}

function Transitions({ t, view, csrfToken }: StaffCaseProps) {
  if (view.nextStates.length === 0) return null;
  return (
    <form method="post" action={`/staff/cases/${view.id}/transition`} class="form-stack">
      <Csrf token={csrfToken} />
      <label>{t("staff.moveTo")}
        <select name="to" required><option value="">—</option>{view.nextStates.map((state) => <option value={state}>{t(`state.${state}` as MessageKey)}</option>)}</select>
      </label>
      <label>{t("staff.note")}<input type="text" name="note" maxlength={5000} /></label>
      <button type="submit">{t("staff.move")}</button>
    </form>
  );
}

function Parties({ t, view }: StaffCaseProps) {
  return (
    <section aria-labelledby="parties"><h2 id="parties">{t("staff.complainant")}</h2>
      {view.anonymous ? <p>{t("staff.anonymous")}</p> : null}
      <ul>{view.people.map((p) => <li>{p.role}: {[p.name, p.email, p.phone, p.address, p.notes].filter(Boolean).join(" · ") || "—"}</li>)}</ul>
    </section>
  );
}

function Officers({ t, view, csrfToken, can }: StaffCaseProps) {
  return (
    <section aria-labelledby="officers"><h2 id="officers">{t("staff.officers")}</h2>
      <ul>{view.officers.map((o) => (
        <li>
          {o.name ?? "—"} #{o.badge ?? "?"} {o.vehicle ?? ""} {o.description ?? ""} {o.personId ? <a href={`/officers/${o.personId}`}>→</a> : null}
          {can.work ? (
            <form method="post" action={`/staff/cases/${view.id}/officers/${o.id}`} class="inline">
              <Csrf token={csrfToken} />
              <label>{t("staff.identify")}<input name="person_id" value={o.personId ?? ""} pattern="[0-9a-fA-F-]{36}" /></label>
              <button type="submit">{t("staff.save")}</button>
            </form>
          ) : null}
        </li>
      ))}</ul>
    </section>
  );
}

function Allegations({ t, view, csrfToken, can }: StaffCaseProps) {
  return (
    <section aria-labelledby="allegations"><h2 id="allegations">{t("staff.allegations")}</h2>
      {view.allegations.map((a) => (
        <article class="allegation" data-allegation={a.id}>
          <h3>{t(`cases.category.${a.category}` as MessageKey) ?? a.category}{a.isForce ? ` · ${t("staff.force")}` : ""}{a.isCriminal ? ` · ${t("staff.criminal")}` : ""}{a.isDeath ? ` · ${t("staff.death")}` : ""}</h3>
          <p>{t("staff.investigatorFinding")}: {findingLabel(t, a.investigatorFinding)} · {t("staff.boardFinding")}: {findingLabel(t, a.boardFinding)} · {t("staff.recommended")}: {a.recommendedPenalty ?? "—"} · {t("staff.final")}: {findingLabel(t, a.finalFinding)} {a.finalPenalty ?? ""}{a.deviated ? <strong class="weaker"> · {t("staff.deviated")}</strong> : null}</p>
          {can.work ? (
            <form method="post" action={`/staff/cases/${view.id}/allegations/${a.id}`} class="inline">
              <Csrf token={csrfToken} />
              <label class="check"><input type="checkbox" name="is_force" value="1" checked={a.isForce} /> {t("staff.force")}</label>
              <label class="check"><input type="checkbox" name="is_criminal" value="1" checked={a.isCriminal} /> {t("staff.criminal")}</label>
              <label>{t("staff.investigatorFinding")}
                <select name="investigator_finding"><option value="">—</option>{FINDINGS.map((f) => <option value={f} selected={f === a.investigatorFinding}>{t(`finding.${f}` as MessageKey)}</option>)}</select>
              </label>
              <button type="submit">{t("staff.save")}</button>
            </form>
          ) : null}
          {can.decide && (view.state === "final_disposition" || view.state === "discipline_recommended") ? (
            <form method="post" action={`/staff/cases/${view.id}/final`} class="inline">
              <Csrf token={csrfToken} />
              <input type="hidden" name="allegation_id" value={a.id} />
              <label>{t("staff.final")}<select name="final_finding">{FINDINGS.map((f) => <option value={f} selected={f === a.finalFinding}>{t(`finding.${f}` as MessageKey)}</option>)}</select></label>
              <label>{t("staff.finalPenalty")}<input name="final_penalty" value={a.finalPenalty ?? ""} /></label>
              <button type="submit">{t("staff.record")}</button>
            </form>
          ) : null}
        </article>
      ))}
    </section>
  );
}

function Actions({ t, view, csrfToken }: StaffCaseProps) {
  return (
    <section aria-labelledby="actions"><h2 id="actions">{t("staff.messages")}</h2>
      <div class="actions-row">
        {view.acknowledgedAt ? <p>{t("staff.acknowledgedOn", { date: view.acknowledgedAt.slice(0, 10) })}</p> : (
          <form method="post" action={`/staff/cases/${view.id}/mark`}><Csrf token={csrfToken} /><input type="hidden" name="what" value="acknowledged" /><button type="submit">{t("staff.markAcknowledged")}</button></form>
        )}
        {view.firstContactAt ? <p>{t("staff.contactedOn", { date: view.firstContactAt.slice(0, 10) })}</p> : (
          <form method="post" action={`/staff/cases/${view.id}/mark`}><Csrf token={csrfToken} /><input type="hidden" name="what" value="contacted" /><button type="submit">{t("staff.markContacted")}</button></form>
        )}
      </div>
      <form method="post" action={`/staff/cases/${view.id}/notes`} class="form-stack">
        <Csrf token={csrfToken} />
        <label>{t("staff.noteOrMessage")}<textarea name="body" rows={3} required maxlength={10000}></textarea></label>
        <label class="check"><input type="checkbox" name="to_complainant" value="1" /> {t("staff.toComplainant")}</label>
        <button type="submit">{t("staff.add")}</button>
      </form>
      <form method="post" action={`/staff/cases/${view.id}/refer`} class="form-stack">
        <Csrf token={csrfToken} />
        <label>{t("staff.referReason")}<input name="reason" required minlength={3} /></label>
        <button type="submit">{t("staff.refer")}</button>
      </form>
      <form method="post" action={`/staff/cases/${view.id}/tolling`} class="form-stack">
        <Csrf token={csrfToken} />
        <fieldset><legend>{t("staff.tolling")}</legend>
          <label>{t("staff.tollingKind")}<select name="kind">{TOLLING_KINDS.map((kind) => <option value={kind}>{t(`staff.tollingKind.${kind}` as MessageKey)}</option>)}</select></label>
          <label>{t("staff.startsOn")}<input type="date" name="starts_on" required /></label>
          <label>{t("staff.endsOn")}<input type="date" name="ends_on" /></label>
        </fieldset>
        <button type="submit">{t("staff.addTolling")}</button>
      </form>
    </section>
  );
}

function Panel({ t, view, csrfToken, boardMembers }: StaffCaseProps) {
  return (
    <form method="post" action={`/staff/cases/${view.id}/panel`} class="form-stack">
      <Csrf token={csrfToken} />
      <fieldset>
        <legend>{t("staff.panel")}</legend>
        {(boardMembers ?? []).map((member) => (
          <label class="check"><input type="checkbox" name="members" value={member.id} checked={view.panel.includes(member.id)} /> {member.name}</label>
        ))}
      </fieldset>
      <button type="submit">{t("staff.setPanel")}</button>
    </form>
  );
}

function Board({ t, view, csrfToken, can, userId }: StaffCaseProps) {
  if (!can.vote || view.state !== "board_review" || !view.panel.includes(userId)) return null;
  return (
    <section aria-labelledby="board"><h2 id="board">{t("staff.board")}</h2>
      {view.allegations.map((a) => {
        const mine = view.votes.find((v) => v.allegationId === a.id && v.memberId === userId);
        return (
          <form method="post" action={`/staff/cases/${view.id}/vote`} class="inline">
            <Csrf token={csrfToken} />
            <input type="hidden" name="allegation_id" value={a.id} />
            <label>{t(`cases.category.${a.category}` as MessageKey)} — {t("staff.vote")}
              <select name="vote"><option value="">—</option>{BOARD_VOTES.map((v) => <option value={v} selected={!mine?.recused && mine?.vote === v}>{t(`board.${v}` as MessageKey)}</option>)}</select>
            </label>
            <label class="check"><input type="checkbox" name="recused" value="1" checked={mine?.recused ?? false} /> {t("staff.recuse")}</label>
            <button type="submit">{t("staff.castVote")}</button>
          </form>
        );
      })}
    </section>
  );
}

function History({ t, view }: StaffCaseProps) {
  return (
    <section aria-labelledby="history"><h2 id="history">{t("staff.history")}</h2>
      <ol class="history">{view.events.map((e) => (
        <li><span class="source">{e.at.slice(0, 16)} · <span class="actor">{actorLabel(t, e.actor)}</span> · {eventLabel(t, e.kind, e.about?.name)}{e.from ? ` ${stateLabel(t, e.from)} → ${stateLabel(t, e.to)}` : ""}{e.toComplainant ? " · ✉" : ""}</span>{e.body ? <><br />{/^state\./.test(e.body) ? t(e.body as MessageKey) : e.body}</> : null}</li>
      ))}</ol>
    </section>
  );
}

/** A staff member by name; the complainant and the system by role, in the reader's language. */
export function actorLabel(t: Translate, actor: StaffActor): string {
  if (actor.kind === "complainant") return t("staff.actor.complainant");
  if (actor.kind === "system") return t("staff.actor.system");
  return actor.name ?? t("staff.actor.unknown");
}

const EVENT_KINDS = ["received", "transition", "note", "message", "acknowledged", "contacted", "referral", "final_decision", "complainant_message", "assigned", "unassigned"] as const;
const eventLabel = (t: Translate, kind: string, about?: string | null) =>
  (EVENT_KINDS as readonly string[]).includes(kind) ? t(`staff.event.${kind}` as MessageKey, { name: about ?? t("staff.actor.unknown") }) : kind;
const stateLabel = (t: Translate, state: string | null) => (state ? t(`state.${state}` as MessageKey) : "—");
