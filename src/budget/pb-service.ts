/**
 * People's Budget processes: phases, proposals, eligibility, one secret ballot per voter.
 *
 * Every write runs in one transaction with its audit entry. Nothing written here links a
 * ballot to a voter: the voter roll (pb_voters) and the codes (pb_codes) record *that* someone
 * voted, the ballot (pb_ballots) records *how*, with no shared id, no time, and audit entries
 * that name neither. See README.md, "Secret ballot".
 */
import { createHash, createHmac, randomBytes, randomInt } from "node:crypto";
import { appendAudit } from "../audit/service.js";
import type { Db, Queryable } from "../db/db.js";
import { enqueueEmail } from "../outbox/index.js";
import { BudgetError } from "./errors.js";
import { budgetTranslator, type Lang } from "./i18n.js";
import * as repo from "./pb-repo.js";
import { computeResults, onBallot, type ProcessResults } from "./results.js";
import {
  codeSchema,
  codesRequestSchema,
  emailRequestSchema,
  ideaInputSchema,
  implementationInputSchema,
  PHASES,
  processInputSchema,
  proposalInputSchema,
  type Phase,
  type ProcessInput,
  type ProposalInput,
} from "./schema.js";

export type { ProcessRow, ProposalRow, BallotRow } from "./pb-repo.js";

/** Phases in which the ballot (proposals on it, their costs, the ballot type) can no longer change. */
const BALLOT_FIXED: readonly Phase[] = ["voting", "results", "implementation"];
/** How long an emailed voting link works. */
export const LINK_HOURS = 72;

export async function listProcesses(db: Db) {
  return repo.listProcesses(db);
}

export async function findProcess(db: Queryable, idOrSlug: string) {
  return repo.findProcess(db, idOrSlug);
}

export async function proposalsOf(db: Queryable, processId: string) {
  return repo.listProposals(db, processId);
}

export { onBallot };

export async function turnout(db: Queryable, processId: string) {
  return repo.turnout(db, processId);
}

export async function codeCounts(db: Queryable, processId: string) {
  return repo.codeCounts(db, processId);
}

// Processes ---------------------------------------------------------------------------------

export async function createProcess(db: Db, actor: string, input: ProcessInput, options: { demo?: boolean; phase?: Phase } = {}): Promise<string> {
  const v = processInputSchema.parse(input);
  return db.transaction(async (tx) => {
    if (await repo.slugTaken(tx, v.slug)) throw new BudgetError(409, "budget.error.slugTaken", { slug: v.slug }, "slug-taken");
    const id = await repo.insertProcess(tx, {
      slug: v.slug, title_en: v.title_en, title_es: v.title_es || v.title_en, description_en: v.description_en, description_es: v.description_es,
      city: v.city, currency: v.currency, budget: v.budget, phase: options.phase ?? "ideas", ballot_type: v.ballot_type,
      pick_n: v.ballot_type === "pick_n" ? v.pick_n! : null, points_total: v.ballot_type === "cumulative" ? v.points_total! : null,
      official_rule: v.official_rule, eligibility_zip: v.eligibility_zip, eligibility_codes: v.eligibility_codes, zips: v.zips, demo: options.demo ?? false,
      source_file: null, source_sha256: null, source_meta: null, source_project_columns: null, source_vote_columns: null,
    });
    await appendAudit(tx, { actor, action: "pb.process.create", entity: "pb_process", entityId: id, data: { slug: v.slug, budget: v.budget, ballotType: v.ballot_type, demo: options.demo ?? false } });
    return id;
  });
}

/** Changes a process's settings. Once voting opens only the texts may change: the ballot is fixed. */
export async function updateProcess(db: Db, actor: string, processId: string, input: ProcessInput): Promise<void> {
  const v = processInputSchema.parse(input);
  await db.transaction(async (tx) => {
    const process = await repo.lockProcess(tx, processId, "update");
    if (!process) throw new BudgetError(404, "budget.error.noProcess");
    const fixed = BALLOT_FIXED.includes(process.phase);
    const ballotChanged = process.budget !== v.budget || process.ballot_type !== v.ballot_type || (process.pick_n ?? undefined) !== (v.ballot_type === "pick_n" ? v.pick_n : undefined) ||
      (process.points_total ?? undefined) !== (v.ballot_type === "cumulative" ? v.points_total : undefined) || process.currency !== v.currency;
    if (fixed && ballotChanged) throw new BudgetError(409, "budget.error.ballotFixed", { phase: process.phase }, "ballot-fixed");
    await repo.updateProcessSettings(tx, processId, {
      title_en: v.title_en, title_es: v.title_es || v.title_en, description_en: v.description_en, description_es: v.description_es, city: v.city, currency: v.currency,
      budget: v.budget, ballot_type: v.ballot_type, pick_n: v.ballot_type === "pick_n" ? v.pick_n! : null, points_total: v.ballot_type === "cumulative" ? v.points_total! : null,
      official_rule: v.official_rule, eligibility_zip: v.eligibility_zip, eligibility_codes: v.eligibility_codes, zips: v.zips,
    });
    await appendAudit(tx, { actor, action: "pb.process.update", entity: "pb_process", entityId: processId, data: { budget: v.budget, ballotType: v.ballot_type, zips: v.zips.length } });
  });
}

/**
 * Moves a process to another phase. Opening the vote needs a ballot (at least one feasible
 * proposal with a cost). Leaving the vote seals the ballot box (pb-repo.sealBallots).
 */
export async function setPhase(db: Db, actor: string, processId: string, phase: Phase): Promise<{ sealed: number | null }> {
  if (!PHASES.includes(phase)) throw new BudgetError(400, "budget.error.badPhase", { phase: String(phase) }, "bad-phase");
  const sealed = await db.transaction(async (tx) => {
    const process = await repo.lockProcess(tx, processId, "update");
    if (!process) throw new BudgetError(404, "budget.error.noProcess");
    if (phase === "voting" && onBallot(await repo.listProposals(tx, processId)).length === 0) throw new BudgetError(409, "budget.error.emptyBallotList", {}, "no-proposals");
    await repo.setPhase(tx, processId, phase);
    const count = process.phase === "voting" && phase !== "voting" ? await repo.sealBallots(tx, processId) : null;
    await appendAudit(tx, { actor, action: "pb.process.phase", entity: "pb_process", entityId: processId, data: { from: process.phase, to: phase, sealedBallots: count } });
    return count;
  });
  if (sealed !== null) {
    // Best effort: reclaims the dead row versions the seal left behind (never inside a transaction).
    try {
      await db.exec("VACUUM pb_ballots");
    } catch {
      /* a server may refuse VACUUM to this role; the seal itself already happened */
    }
  }
  return { sealed };
}

// Proposals -----------------------------------------------------------------------------------

function nextCode(codes: Set<string>, position: number): string {
  let n = position;
  while (codes.has(String(n))) n++;
  return String(n);
}

export async function addProposal(db: Db, actor: string, processId: string, input: ProposalInput): Promise<string> {
  const v = proposalInputSchema.parse(input);
  return db.transaction(async (tx) => {
    const process = await repo.lockProcess(tx, processId, "update");
    if (!process) throw new BudgetError(404, "budget.error.noProcess");
    if (BALLOT_FIXED.includes(process.phase) && v.status === "feasible") throw new BudgetError(409, "budget.error.ballotFixed", { phase: process.phase }, "ballot-fixed");
    const { position, codes } = await repo.nextProposalPosition(tx, processId);
    const id = await repo.insertProposal(tx, processId, {
      code: nextCode(codes, position), position, title_en: v.title_en, title_es: v.title_es, description_en: v.description_en, description_es: v.description_es,
      category: v.category, location: v.location, cost: v.cost, status: v.status, review_note: v.review_note, source_fields: null,
    });
    await appendAudit(tx, { actor, action: "pb.proposal.add", entity: "pb_proposal", entityId: id, data: { processId, cost: v.cost, status: v.status, category: v.category } });
    return id;
  });
}

export async function updateProposal(db: Db, actor: string, processId: string, proposalId: string, input: ProposalInput): Promise<void> {
  const v = proposalInputSchema.parse(input);
  await db.transaction(async (tx) => {
    const process = await repo.lockProcess(tx, processId, "update");
    if (!process) throw new BudgetError(404, "budget.error.noProcess");
    const current = await repo.findProposal(tx, processId, proposalId);
    if (!current) throw new BudgetError(404, "budget.error.noProposal");
    const onTheBallot = current.status === "feasible" || v.status === "feasible";
    if (BALLOT_FIXED.includes(process.phase) && onTheBallot && (current.cost !== v.cost || current.status !== v.status)) {
      throw new BudgetError(409, "budget.error.ballotFixed", { phase: process.phase }, "ballot-fixed");
    }
    await repo.updateProposal(tx, proposalId, {
      title_en: v.title_en, title_es: v.title_es, description_en: v.description_en, description_es: v.description_es, category: v.category, location: v.location,
      cost: v.cost, status: v.status, review_note: v.review_note,
    });
    await appendAudit(tx, { actor, action: "pb.proposal.update", entity: "pb_proposal", entityId: proposalId, data: { processId, cost: v.cost, status: v.status, from: { cost: current.cost, status: current.status } } });
  });
}

export async function setImplementation(db: Db, actor: string, processId: string, proposalId: string, input: { implementation: string; implementation_note?: string }): Promise<void> {
  const v = implementationInputSchema.parse(input);
  await db.transaction(async (tx) => {
    if (!(await repo.findProposal(tx, processId, proposalId))) throw new BudgetError(404, "budget.error.noProposal");
    await repo.updateImplementation(tx, proposalId, v.implementation, v.implementation_note);
    await appendAudit(tx, { actor, action: "pb.proposal.implementation", entity: "pb_proposal", entityId: proposalId, data: { processId, implementation: v.implementation } });
  });
}

/**
 * An idea from anyone during idea collection. It asks for no name or contact details and
 * stores none; the text goes in the language it was written in.
 */
export async function submitIdea(db: Db, processId: string, input: { title: string; description?: string; category?: string; location?: string }, lang: Lang): Promise<string> {
  const v = ideaInputSchema.parse(input);
  return db.transaction(async (tx) => {
    const process = await repo.lockProcess(tx, processId, "update");
    if (!process) throw new BudgetError(404, "budget.error.noProcess");
    if (process.phase !== "ideas") throw new BudgetError(409, "budget.error.ideasClosed", { phase: process.phase }, "ideas-closed");
    const { position, codes } = await repo.nextProposalPosition(tx, processId);
    const id = await repo.insertProposal(tx, processId, {
      code: nextCode(codes, position), position,
      title_en: lang === "en" ? v.title : "", title_es: lang === "es" ? v.title : "",
      description_en: lang === "en" ? v.description : "", description_es: lang === "es" ? v.description : "",
      category: v.category === "other" ? "" : v.category, location: v.location, cost: null, status: "idea", review_note: null, source_fields: null,
    });
    await appendAudit(tx, { actor: "public", action: "pb.idea.submit", entity: "pb_proposal", entityId: id, data: { processId } });
    return id;
  });
}

// Eligibility: codes ---------------------------------------------------------------------------

const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; // no 0/O, 1/I/L: read aloud and typed from a card
const CODE_LENGTH = 10; // 31^10 ≈ 2^49.5

/** The stored fingerprint of a code (normalised: upper case, no dashes or spaces). */
export const codeHmac = (secret: Buffer, processId: string, normalized: string) => createHmac("sha256", secret).update(`pb-code:${processId}:${normalized}`).digest("hex");

/** A code as printed: XXXX-XXXX-XX. */
export const formatCode = (normalized: string) => normalized.replace(/(.{4})(.{4})(.+)/, "$1-$2-$3");

/**
 * Makes `count` single-use codes for an event. Only their HMACs are stored: the codes are
 * returned once, to be printed, and cannot be shown again.
 */
export async function generateCodes(db: Db, secret: Buffer, actor: string, processId: string, input: { count: number | string; batch: string }): Promise<string[]> {
  const v = codesRequestSchema.parse(input);
  const codes = new Set<string>();
  while (codes.size < v.count) codes.add(Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(""));
  const list = [...codes];
  await db.transaction(async (tx) => {
    const process = await repo.lockProcess(tx, processId, "update");
    if (!process) throw new BudgetError(404, "budget.error.noProcess");
    if (!process.eligibility_codes) throw new BudgetError(409, "budget.error.codesOff", {}, "codes-off");
    await repo.insertCodes(db, tx, processId, v.batch, list.map((code) => codeHmac(secret, processId, code)));
    await appendAudit(tx, { actor, action: "pb.codes.generate", entity: "pb_process", entityId: processId, data: { count: v.count, batch: v.batch } });
  });
  return list.map(formatCode);
}

export type Credential = { kind: "token"; token: string } | { kind: "code"; code: string };

function requireVoting(process: repo.ProcessRow): void {
  if (process.phase !== "voting") throw new BudgetError(409, "budget.error.closed", { phase: process.phase }, "closed");
}

/**
 * Checks a credential before showing the ballot: the process is voting, the link or code is
 * valid and unused. Changes nothing. Returns the normalised credential to put in the form.
 */
export async function checkCredential(db: Db, secret: Buffer, process: repo.ProcessRow, credential: Credential): Promise<Credential> {
  requireVoting(process);
  if (credential.kind === "code") {
    if (!process.eligibility_codes) throw new BudgetError(409, "budget.error.codesOff", {}, "codes-off");
    const parsed = codeSchema.safeParse(credential.code);
    if (!parsed.success) throw new BudgetError(400, "budget.error.badCode", {}, "bad-code");
    const row = await repo.findCode(db, process.id, codeHmac(secret, process.id, parsed.data));
    if (!row) throw new BudgetError(400, "budget.error.badCode", {}, "bad-code");
    if (row.used) throw new BudgetError(409, "budget.error.alreadyVoted", {}, "already-voted");
    return { kind: "code", code: formatCode(parsed.data) };
  }
  const voter = await repo.findVoterByToken(db, process.id, tokenHash(credential.token));
  if (!voter) throw new BudgetError(400, "budget.error.badLink", {}, "bad-link");
  if (voter.voted) throw new BudgetError(409, "budget.error.alreadyVoted", {}, "already-voted");
  if (voter.expired) throw new BudgetError(400, "budget.error.linkExpired", { hours: LINK_HOURS }, "link-expired");
  return credential;
}

// Eligibility: email link -------------------------------------------------------------------------

/**
 * The address as the mailbox sees it, for "one ballot per address": lower-cased; for Gmail
 * the dots and a +tag are dropped (Gmail delivers those variants to the same mailbox).
 */
export function normalizeEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  if (domain === "googlemail.com") domain = "gmail.com";
  if (domain === "gmail.com") local = local.replace(/\+.*$/, "").replace(/\./g, "");
  return `${local}@${domain}`;
}

const emailHmac = (secret: Buffer, processId: string, email: string) => createHmac("sha256", secret).update(`pb-voter:${processId}:${normalizeEmail(email)}`).digest("hex");
const tokenHash = (token: string) => createHash("sha256").update(`pb-link:${token}`).digest("hex");

export type LinkOutcome = "sent" | "already-voted";

/**
 * A resident asks to vote: the ZIP must be on the process's list. Queues an email with a
 * single-use link (a new one each time they ask, the old one stops working), or, if that
 * address has already voted, an email saying so. The page shows the same answer either way,
 * so nobody learns from it whether an address has voted. The address is stored only as an
 * HMAC; the audit entry names neither the address nor the voter.
 */
export async function requestVoteLink(
  db: Db,
  secret: Buffer,
  process: repo.ProcessRow,
  input: { email: string; zip: string },
  options: { baseUrl: string; lang: Lang; now?: Date },
): Promise<LinkOutcome> {
  requireVoting(process);
  if (!process.eligibility_zip) throw new BudgetError(409, "budget.error.zipOff", {}, "zip-off");
  const v = emailRequestSchema.parse(input);
  if (!process.zips.includes(v.zip)) throw new BudgetError(422, "budget.error.zipNotEligible", { zip: v.zip }, "zip-not-eligible");
  const now = options.now ?? new Date();
  const t = budgetTranslator(options.lang);
  const title = options.lang === "es" ? process.title_es || process.title_en : process.title_en;
  const hmac = emailHmac(secret, process.id, v.email);
  return db.transaction(async (tx) => {
    const locked = await repo.lockProcess(tx, process.id, "share");
    if (!locked) throw new BudgetError(404, "budget.error.noProcess");
    requireVoting(locked);
    const existing = await repo.findVoterByEmail(tx, process.id, hmac);
    if (existing?.voted) {
      await enqueueEmail(tx, { to: v.email, subject: t("budget.email.votedSubject", { title }), text: t("budget.email.votedText", { title }), template: "pb.already-voted" });
      await appendAudit(tx, { actor: "public", action: "pb.voter.link", entity: "pb_process", entityId: process.id, data: { sent: "already-voted" } }, now);
      return "already-voted";
    }
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + LINK_HOURS * 3_600_000).toISOString();
    if (existing) await repo.renewVoterToken(tx, existing.id, v.zip, tokenHash(token), expiresAt);
    else await repo.insertVoter(tx, { processId: process.id, emailHmac: hmac, zip: v.zip, tokenHash: tokenHash(token), expiresAt });
    const link = `${options.baseUrl.replace(/\/$/, "")}/budget/p/${process.slug}/ballot?token=${token}&lang=${options.lang}`;
    await enqueueEmail(tx, {
      to: v.email,
      subject: t("budget.email.linkSubject", { title }),
      text: t("budget.email.linkText", { title, link, hours: LINK_HOURS }),
      template: "pb.vote-link",
    });
    await appendAudit(tx, { actor: "public", action: "pb.voter.link", entity: "pb_process", entityId: process.id, data: { sent: "link" } }, now);
    return "sent";
  });
}

// Ballots -----------------------------------------------------------------------------------------

export interface BallotChoice {
  proposalId: string;
  /** Cumulative ballots: the points given (0 = none). Ignored otherwise. */
  points?: number;
}

export interface CheckedBallot {
  choices: string[];
  points: number[] | null;
  totalCost: number;
  totalPoints: number;
}

/**
 * Checks a ballot against the process's rules without touching the database. Refusals name
 * the reason: over the budget (by how much), too many choices, too many points, nothing chosen,
 * a proposal that is not on the ballot.
 */
export function checkBallot(process: repo.ProcessRow, proposals: readonly repo.ProposalRow[], picks: readonly BallotChoice[]): CheckedBallot {
  const ballot = new Map(onBallot(proposals).map((p) => [p.id, p]));
  const seen = new Map<string, number>();
  for (const pick of picks) {
    if (!ballot.has(pick.proposalId)) throw new BudgetError(400, "budget.error.notOnBallot", {}, "not-on-ballot");
    const points = process.ballot_type === "cumulative" ? pick.points ?? 0 : 1;
    if (!Number.isSafeInteger(points) || points < 0) throw new BudgetError(400, "budget.error.badPoints", {}, "bad-points");
    if (points > 0) seen.set(pick.proposalId, process.ballot_type === "cumulative" ? (seen.get(pick.proposalId) ?? 0) + points : 1);
  }
  // Ballot order is the proposals' order, not the order of the form fields.
  const choices = [...ballot.keys()].filter((id) => seen.has(id));
  if (choices.length === 0) throw new BudgetError(422, "budget.error.emptyBallot", {}, "empty");
  const totalCost = choices.reduce((sum, id) => sum + ballot.get(id)!.cost!, 0);
  const points = process.ballot_type === "cumulative" ? choices.map((id) => seen.get(id)!) : null;
  const totalPoints = points ? points.reduce((a, b) => a + b, 0) : choices.length;
  if (process.ballot_type === "approval_budget" && totalCost > process.budget) {
    throw new BudgetError(422, "budget.error.overBudget", { total: totalCost, budget: process.budget, over: totalCost - process.budget, currency: process.currency }, "over-budget");
  }
  if (process.ballot_type === "pick_n" && choices.length > process.pick_n!) {
    throw new BudgetError(422, "budget.error.tooMany", { count: choices.length, n: process.pick_n! }, "too-many");
  }
  if (process.ballot_type === "cumulative" && totalPoints > process.points_total!) {
    throw new BudgetError(422, "budget.error.tooManyPoints", { used: totalPoints, total: process.points_total! }, "too-many-points");
  }
  return { choices, points, totalCost, totalPoints };
}

/**
 * Casts one secret ballot. In one transaction: the process must be voting (its row is held
 * FOR SHARE, so a close waits for the ballot or the ballot sees the close); the link or code
 * is used up (a second ballot finds it used: refused, and the refusal audited); the ballot is
 * written with its group (the ZIP or the code's event) and nothing else about the voter; the
 * audit entry says a ballot was cast and how the voter was verified, naming neither.
 */
export async function castBallot(db: Db, secret: Buffer, processId: string, credential: Credential, picks: readonly BallotChoice[]): Promise<CheckedBallot> {
  const refusal = await db.transaction(async (tx) => {
    const process = await repo.lockProcess(tx, processId, "share");
    if (!process) throw new BudgetError(404, "budget.error.noProcess");
    if (process.phase !== "voting") {
      await appendAudit(tx, { actor: "public", action: "pb.ballot.refused", entity: "pb_process", entityId: processId, data: { reason: "closed", phase: process.phase } });
      return new BudgetError(409, "budget.error.closed", { phase: process.phase }, "closed");
    }
    const checked = checkBallot(process, await repo.listProposals(tx, processId), picks);
    let group: string | null;
    if (credential.kind === "code") {
      const parsed = codeSchema.safeParse(credential.code);
      if (!parsed.success || !process.eligibility_codes) return new BudgetError(400, "budget.error.badCode", {}, "bad-code");
      const hmac = codeHmac(secret, processId, parsed.data);
      const used = await repo.useCode(tx, processId, hmac);
      if (!used) {
        const known = await repo.findCode(tx, processId, hmac);
        if (!known) return new BudgetError(400, "budget.error.badCode", {}, "bad-code");
        await appendAudit(tx, { actor: "public", action: "pb.ballot.refused", entity: "pb_process", entityId: processId, data: { reason: "already-voted", method: "code" } });
        return new BudgetError(409, "budget.error.alreadyVoted", {}, "already-voted");
      }
      group = used.batch;
    } else {
      const hash = tokenHash(credential.token);
      const marked = await repo.markVoterVoted(tx, processId, hash);
      if (!marked) {
        const voter = await repo.findVoterByToken(tx, processId, hash);
        if (!voter) return new BudgetError(400, "budget.error.badLink", {}, "bad-link");
        if (!voter.voted) return new BudgetError(400, "budget.error.linkExpired", { hours: LINK_HOURS }, "link-expired");
        await appendAudit(tx, { actor: "public", action: "pb.ballot.refused", entity: "pb_process", entityId: processId, data: { reason: "already-voted", method: "email" } });
        return new BudgetError(409, "budget.error.alreadyVoted", {}, "already-voted");
      }
      group = marked.zip;
    }
    await repo.insertBallot(tx, processId, checked.choices, checked.points, group);
    await appendAudit(tx, { actor: "public", action: "pb.ballot.cast", entity: "pb_process", entityId: processId, data: { method: credential.kind === "code" ? "code" : "email" } });
    return checked;
  });
  if (refusal instanceof BudgetError) throw refusal;
  return refusal;
}

// Results -----------------------------------------------------------------------------------------

const resultsCache = new Map<string, ProcessResults>();

/**
 * Counts a process with every rule (see results.ts). Results are kept for the same ballots
 * and proposals, so a busy results page counts once: the key changes with every ballot and
 * every change to a proposal on the ballot.
 */
export async function processResults(db: Queryable, process: repo.ProcessRow): Promise<ProcessResults> {
  const proposals = await repo.listProposals(db, process.id);
  const ballots = await repo.countBallots(db, process.id);
  const key = JSON.stringify([process.id, process.budget, process.ballot_type, process.official_rule, process.sealed, ballots, onBallot(proposals).map((p) => [p.id, p.code, p.cost, p.category])]);
  const cached = resultsCache.get(key);
  if (cached) return { ...cached, process, projects: cached.projects.map((row) => ({ ...row, proposal: proposals.find((p) => p.id === row.proposal.id) ?? row.proposal })) };
  const results = computeResults(process, proposals, await repo.listBallots(db, process.id));
  if (resultsCache.size >= 32) resultsCache.delete(resultsCache.keys().next().value!);
  resultsCache.set(key, results);
  return results;
}
