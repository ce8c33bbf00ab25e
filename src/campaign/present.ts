/**
 * The one place that decides which campaign fields leave the server, as JSON, CSV,
 * Atom or HTML. Each function lists its fields by name: never a spread of a row.
 * Nothing here is personal data except officials' public names.
 */
import type { AtomEntry } from "./atom.js";
import type { EventRow, TargetRow } from "./demands-repo.js";
import type { AttendanceRow, MeetingRow, PromiseRow } from "./meetings-repo.js";
import type { PromiseSummary } from "./rules.js";
import type { DemandDetail, MotionDetail, MotionView, Scoreboard, VotesOverview } from "./service.js";
import type { SeatRow } from "./votes-repo.js";

export const demandPath = (slug: string) => `/campaign/demands/${slug}`;
export const meetingPath = (id: string) => `/campaign/meetings/${id}`;
export const motionPath = (id: string) => `/campaign/votes/${id}`;

export function presentTarget(target: TargetRow) {
  return {
    slug: target.slug,
    kind: target.kind,
    title: { en: target.title_en, es: target.title_es },
    holder: target.holder,
    note: target.note_en || target.note_es ? { en: target.note_en, es: target.note_es } : null,
  };
}
export type PresentedTarget = ReturnType<typeof presentTarget>;

type Cell = Scoreboard["lists"][number]["demands"][number]["cells"][number];

function presentCell(cell: Cell, targets: Map<string, PresentedTarget>) {
  const target = targets.get(cell.target_slug)!;
  return {
    slug: target.slug,
    kind: target.kind,
    title: target.title,
    holder: target.holder,
    status: cell.status,
    statusSince: cell.status_since,
    basis: cell.basis,
    basisNote: cell.basis_note ? { en: cell.basis_note, es: cell.basis_note_es } : null,
    lastActionOn: cell.last_action_on,
    events: cell.events,
  };
}
export type PresentedCell = ReturnType<typeof presentCell>;

interface DemandLike {
  slug: string;
  number: number;
  list_slug: string;
  text_en: string;
  text_es: string;
  text_es_translated: boolean;
  priority_note_en: string | null;
  priority_note_es: string | null;
}

function presentDemandText(demand: DemandLike) {
  return {
    slug: demand.slug,
    number: demand.number,
    list: demand.list_slug,
    text: { en: demand.text_en, es: demand.text_es, esIsTranslation: demand.text_es_translated },
    priority: demand.priority_note_en ? { en: demand.priority_note_en, es: demand.priority_note_es } : null,
    url: demandPath(demand.slug),
  };
}

type ListRow = Scoreboard["lists"][number]["list"];
function presentList(list: ListRow) {
  return {
    slug: list.slug,
    title: { en: list.title_en, es: list.title_es },
    coalition: list.coalition_slug,
    source: list.source_slug ? { slug: list.source_slug, title: list.source_title, url: list.source_url } : null,
    issuedOn: list.issued_on,
    began: list.began,
  };
}
export type PresentedList = ReturnType<typeof presentList>;

/** The scoreboard: lists of demands, each demand with its targets and per-target status. */
export function presentScoreboard(board: Scoreboard) {
  const targets = board.targets.map(presentTarget);
  const bySlug = new Map(targets.map((target) => [target.slug, target]));
  return {
    coalitions: board.coalitions.map((coalition) => ({
      slug: coalition.slug,
      name: { en: coalition.name, es: coalition.name_es },
      city: coalition.city,
      note: coalition.note_en ? { en: coalition.note_en, es: coalition.note_es } : null,
      members: coalition.members.map((member) => ({ slug: member.slug, name: member.name, abbreviation: member.abbreviation })),
    })),
    targets,
    lists: board.lists.map(({ list, demands }) => ({
      ...presentList(list),
      demands: demands.map(({ demand, cells }) => ({ ...presentDemandText(demand), targets: cells.map((cell) => presentCell(cell, bySlug)) })),
    })),
  };
}
export type PresentedScoreboard = ReturnType<typeof presentScoreboard>;
export type PresentedDemand = PresentedScoreboard["lists"][number]["demands"][number];

/** GET /api/v1/demands: every demand with its list, its targets and their statuses. */
export function presentDemandsApi(board: PresentedScoreboard) {
  const items = board.lists.flatMap((list) => list.demands.map((demand) => ({ ...demand, listTitle: list.title })));
  return { items, total: items.length, lists: board.lists.map(({ demands: _demands, ...list }) => list), targets: board.targets, coalitions: board.coalitions };
}

/** The CSV: one row per demand × target, the scoreboard's cells. */
export function demandCsvRows(board: PresentedScoreboard) {
  return board.lists.flatMap((list) => list.demands.flatMap((demand) => demand.targets.map((target) => ({
    demand: demand.slug,
    list: list.slug,
    number: demand.number,
    text_en: demand.text.en,
    text_es: demand.text.es,
    text_es_is_translation: demand.text.esIsTranslation,
    target: target.slug,
    target_title: target.title.en,
    holder: target.holder ?? "",
    status: target.status,
    status_since: target.statusSince ?? "",
    basis: target.basis,
    last_action_on: target.lastActionOn ?? "",
    events: target.events,
  }))));
}

export function presentEvent(event: EventRow) {
  return {
    id: event.id,
    demand: event.demand_slug,
    target: event.target_slug,
    kind: event.kind,
    occurredOn: event.occurred_on,
    statusFrom: event.status_from,
    statusTo: event.status_to,
    summary: event.summary,
    summaryLang: event.summary_lang,
    evidence: event.evidence_url ? { url: event.evidence_url, title: event.evidence_title } : null,
    source: event.source_title ? { title: event.source_title, url: event.source_url, dated: event.source_dated } : null,
    motion: event.motion_id ? motionPath(event.motion_id) : null,
    recordedAt: event.recorded_at,
  };
}
export type PresentedEvent = ReturnType<typeof presentEvent>;

/** One demand with its history: GET /api/v1/demands/{slug} and its page. */
export function presentDemandDetail(detail: DemandDetail) {
  const targets = detail.targets.map(presentTarget);
  const bySlug = new Map(targets.map((target) => [target.slug, target]));
  return {
    ...presentDemandText(detail.demand),
    listInfo: presentList(detail.list),
    targets: detail.cells.map((cell) => presentCell(cell, bySlug)),
    timeline: detail.events.map(presentEvent),
    motions: detail.motions.map((motion) => ({ id: motion.id, title: { en: motion.title_en, es: motion.title_es }, movedOn: motion.moved_on, result: motion.result, url: motionPath(motion.id) })),
  };
}
export type PresentedDemandDetail = ReturnType<typeof presentDemandDetail>;

/** Words for the feed in one language. */
export interface FeedWords {
  status: (status: string) => string;
  eventTitle: (event: EventRow) => string;
  demandLabel: (event: EventRow) => string;
}

/** One Atom entry per event. Links are absolute, built on the request's origin. */
export function presentFeedEntry(event: EventRow, origin: string, lang: "en" | "es", words: FeedWords): AtomEntry {
  const demandText = lang === "es" ? event.demand_text_es : event.demand_text_en;
  const target = lang === "es" ? event.target_title_es : event.target_title_en;
  const lines = [`${words.demandLabel(event)}: ${demandText}`, `${target} — ${words.eventTitle(event)} (${event.occurred_on})`];
  if (event.summary) lines.push(event.summary);
  if (event.evidence_url) lines.push(`${event.evidence_title ?? ""} ${event.evidence_url}`.trim());
  return {
    id: `urn:uuid:${event.id}`,
    title: `${words.demandLabel(event)} · ${target}: ${words.eventTitle(event)}`,
    updated: event.recorded_at,
    published: event.recorded_at,
    link: `${origin}${demandPath(event.demand_slug)}?lang=${lang}#event-${event.id}`,
    content: lines.join("\n"),
    related: event.evidence_url ? [{ href: event.evidence_url, title: event.evidence_title ?? undefined }] : [],
    categories: [event.kind, ...(event.status_to ? [event.status_to] : [])],
  };
}

export function presentAttendance(row: AttendanceRow) {
  return { kind: row.kind, slug: row.slug, name: row.name, attended: row.attended };
}

export function presentMeeting(meeting: MeetingRow, attendance: AttendanceRow[]) {
  return {
    id: meeting.id,
    title: { en: meeting.title_en, es: meeting.title_es },
    kind: meeting.kind,
    format: meeting.format,
    heldOn: meeting.held_on,
    status: meeting.status,
    by: meeting.by_kind ? { kind: meeting.by_kind, slug: meeting.by_slug, name: { en: meeting.by_name, es: meeting.by_name_es } } : null,
    ledBy: meeting.led_by_slug ? { kind: "coalition", slug: meeting.led_by_slug, name: { en: meeting.led_by_name, es: meeting.led_by_name_es } } : null,
    body: meeting.body_slug,
    promise: meeting.promise_slug ? { slug: meeting.promise_slug, title: { en: meeting.promise_title_en ?? "", es: meeting.promise_title_es ?? "" } } : null,
    participantsMin: meeting.participants_min,
    agenda: meeting.agenda,
    minutes: meeting.minutes,
    minutesUrl: meeting.minutes_url,
    note: meeting.note_en || meeting.note_es ? { en: meeting.note_en, es: meeting.note_es } : null,
    basis: meeting.basis,
    basisNote: meeting.basis_note ? { en: meeting.basis_note, es: meeting.basis_note_es } : null,
    attendance: attendance.map(presentAttendance),
    url: meetingPath(meeting.id),
  };
}
export type PresentedMeeting = ReturnType<typeof presentMeeting>;

export function presentPromise(promise: PromiseRow, summary: PromiseSummary) {
  return {
    slug: promise.slug,
    title: { en: promise.title_en, es: promise.title_es },
    perMonth: promise.per_month,
    sinceMonth: promise.since_month,
    untilMonth: promise.until_month,
    basis: promise.basis,
    basisNote: promise.basis_note ? { en: promise.basis_note, es: promise.basis_note_es } : null,
    source: promise.source_title,
    months: summary.months.map((row) => ({ month: row.month, promised: row.promised, held: row.held, skipped: row.skipped, cancelled: row.cancelled, scheduled: row.scheduled })),
    totals: { ...summary.totals },
    monthsShort: summary.monthsShort,
  };
}
export type PresentedPromise = ReturnType<typeof presentPromise>;

export function meetingCsvRows(items: PresentedMeeting[]) {
  return items.map((m) => ({
    id: m.id,
    held_on: m.heldOn,
    title_en: m.title.en,
    title_es: m.title.es,
    kind: m.kind,
    format: m.format,
    status: m.status,
    by: m.by ? `${m.by.kind}:${m.by.slug}` : "",
    led_by: m.ledBy ? `${m.ledBy.kind}:${m.ledBy.slug}` : "",
    promise: m.promise?.slug ?? "",
    participants_min: m.participantsMin ?? "",
    present: m.attendance.filter((a) => a.attended).map((a) => a.slug).join("; "),
    absent: m.attendance.filter((a) => !a.attended).map((a) => a.slug).join("; "),
    minutes_url: m.minutesUrl ?? "",
    basis: m.basis,
  }));
}

export function presentSeat(seat: SeatRow) {
  return { position: seat.position, label: { en: seat.label_en, es: seat.label_es }, holder: seat.holder, official: seat.target_slug, note: seat.note_en ? { en: seat.note_en, es: seat.note_es } : null };
}

export function presentMotion(view: MotionView, seats: SeatRow[]) {
  const seatByPosition = new Map(seats.map((seat) => [seat.position, seat]));
  const d = view.decision;
  return {
    id: view.motion.id,
    body: view.motion.body_slug,
    title: { en: view.motion.title_en, es: view.motion.title_es },
    movedOn: view.motion.moved_on,
    threshold: view.motion.threshold,
    result: view.motion.result,
    decidedOn: view.motion.decided_on,
    tally: d ? { ...d.tally } : null,
    present: d?.present ?? null,
    quorum: d?.quorum ?? null,
    votesCast: d?.votesCast ?? null,
    yesNeeded: d && d.result !== "no_quorum" ? d.needed : null,
    explanation: view.explanation,
    rollCall: view.rollCall.map((row) => {
      const seat = seatByPosition.get(row.position);
      return { seat: row.position, label: seat ? { en: seat.label_en, es: seat.label_es } : null, holder: seat?.holder ?? null, vote: row.vote };
    }),
    demands: view.demands.map((link) => ({ slug: link.demand_slug, number: link.demand_number, text: { en: link.demand_text_en, es: link.demand_text_es }, target: link.target_slug, statusIfPass: link.status_if_pass, statusIfFail: link.status_if_fail, url: demandPath(link.demand_slug) })),
    url: motionPath(view.motion.id),
  };
}
export type PresentedMotion = ReturnType<typeof presentMotion>;

export function presentVotes(overview: VotesOverview) {
  const seatsByBody = new Map(overview.bodies.map(({ body, seats }) => [body.slug, seats]));
  return {
    bodies: overview.bodies.map(({ body, seats }) => ({
      slug: body.slug,
      name: { en: body.name_en, es: body.name_es },
      seats: body.seats,
      quorum: body.quorum ?? Math.floor(body.seats / 2) + 1,
      quorumIsDefault: body.quorum === null,
      official: body.target_slug,
      note: body.note_en ? { en: body.note_en, es: body.note_es } : null,
      seatList: seats.map(presentSeat),
    })),
    items: overview.motions.map((view) => presentMotion(view, seatsByBody.get(view.motion.body_slug) ?? [])),
  };
}
export type PresentedVotes = ReturnType<typeof presentVotes>;

export function presentMotionDetail(detail: MotionDetail) {
  return {
    ...presentMotion(detail, detail.seats),
    bodyInfo: { slug: detail.body.slug, name: { en: detail.body.name_en, es: detail.body.name_es }, seats: detail.body.seats, quorum: detail.body.quorum ?? Math.floor(detail.body.seats / 2) + 1 },
    seatList: detail.seats.map(presentSeat),
  };
}
export type PresentedMotionDetail = ReturnType<typeof presentMotionDetail>;

export function motionCsvRows(items: PresentedMotion[]) {
  return items.map((m) => ({
    id: m.id,
    body: m.body,
    moved_on: m.movedOn,
    title_en: m.title.en,
    threshold: m.threshold,
    result: m.result ?? "pending",
    decided_on: m.decidedOn ?? "",
    yes: m.tally?.yes ?? "",
    no: m.tally?.no ?? "",
    abstain: m.tally?.abstain ?? "",
    recused: m.tally?.recused ?? "",
    absent: m.tally?.absent ?? "",
    present: m.present ?? "",
    quorum: m.quorum ?? "",
    roll_call: m.rollCall.map((row) => `${row.seat}:${row.vote}`).join("; "),
    demands: m.demands.map((link) => link.slug).join("; "),
  }));
}
