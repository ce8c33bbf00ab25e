/**
 * What leaves the server as JSON, one function per entity: whitelists, never a spread of a
 * database row. No voter data exists in these shapes (the voter roll, codes and ballot rows
 * are never presented; results are aggregates).
 */
import type { WhatIfResult, YearSummary } from "./city-service.js";
import type { ProcessRow, ProposalRow } from "./pb-repo.js";
import type { ProcessResults } from "./results.js";
import { PB_CATEGORIES } from "./schema.js";
import { CAP_PERCENT } from "./money.js";

export function presentYear(s: YearSummary) {
  return {
    id: s.year.id,
    city: s.year.city,
    fiscalYear: s.year.fiscal_year,
    label: s.year.label,
    generalFund: s.year.general_fund_cents === null ? null : { cents: s.year.general_fund_cents, basis: s.year.general_fund_basis, source: s.year.general_fund_source },
    police: s.police ? { cents: s.police.cents, precision: s.police.precision, bases: s.police.bases } : null,
    capPercent: CAP_PERCENT,
    shareBasisPoints: s.shareBps,
    capCents: s.capCents,
    toMoveCents: s.toMoveCents,
    note: { en: s.year.note_en, es: s.year.note_es },
    lines: s.lines.map((line) => ({
      id: line.id, department: line.department, category: line.category, amountCents: line.amount_cents, precision: line.precision,
      police: line.is_police, basis: line.basis, source: line.source, note: { en: line.note_en, es: line.note_es },
    })),
  };
}

export function presentWhatIf(r: WhatIfResult) {
  return {
    year: { id: r.summary.year.id, city: r.summary.year.city, label: r.summary.year.label },
    moveCents: r.moveCents,
    split: Object.fromEntries(PB_CATEGORIES.map((c) => [c, { percent: r.query[c], cents: r.allocation[c], beforeCents: r.categoryBefore[c], afterCents: r.categoryAfter[c] }])),
    police: { beforeCents: r.policeBefore, afterCents: r.policeAfter, precision: r.summary.police!.precision, bases: r.summary.police!.bases },
    generalFund: r.generalFund ? { cents: r.generalFund.cents, assumed: r.generalFund.assumed, basis: r.generalFund.assumed ? "assumption" : r.summary.year.general_fund_basis } : null,
    capPercent: CAP_PERCENT,
    capCents: r.capCents,
    shareBeforeBasisPoints: r.shareBeforeBps,
    shareAfterBasisPoints: r.shareAfterBps,
    toMoveBeforeCents: r.toMoveBeforeCents,
    remainingToMoveCents: r.remainingToMoveCents,
  };
}

export function presentProcess(p: ProcessRow, proposals?: readonly ProposalRow[]) {
  return {
    id: p.id,
    slug: p.slug,
    title: { en: p.title_en, es: p.title_es },
    description: { en: p.description_en, es: p.description_es },
    city: p.city,
    currency: p.currency,
    budget: p.budget,
    phase: p.phase,
    ballot: { type: p.ballot_type, pickN: p.pick_n, points: p.points_total },
    officialRule: p.official_rule,
    eligibility: { zip: p.eligibility_zip, zips: p.zips, codes: p.eligibility_codes },
    demo: p.demo,
    source: p.source_file ? { file: p.source_file, sha256: p.source_sha256 } : null,
    ...(proposals ? { proposals: proposals.filter((x) => x.status !== "withdrawn").map(presentProposal) } : {}),
  };
}

export function presentProposal(x: ProposalRow) {
  return {
    id: x.id, code: x.code, title: { en: x.title_en, es: x.title_es }, description: { en: x.description_en, es: x.description_es },
    category: x.category, location: x.location, cost: x.cost, status: x.status, reviewNote: x.review_note,
    implementation: x.implementation, implementationNote: x.implementation_note,
  };
}

export function presentResults(r: ProcessResults) {
  const code = new Map(r.projects.map((row) => [row.proposal.id, row.proposal.code]));
  return {
    process: { slug: r.process.slug, budget: r.process.budget, currency: r.process.currency, ballotType: r.process.ballot_type, officialRule: r.process.official_rule },
    ballots: r.ballots,
    rules: r.rules.map((rule) => ({
      rule: rule.rule, official: rule.official, selected: rule.selected.map((id) => code.get(id)!), cost: rule.cost, votes: rule.votes,
      costPerVoteHundredths: rule.costPerVoteCents, satisfiedBasisPoints: rule.satisfiedBps,
    })),
    projects: r.projects.map((row) => ({
      code: row.proposal.code, title: { en: row.proposal.title_en, es: row.proposal.title_es }, cost: row.proposal.cost, category: row.proposal.category,
      votes: row.votes, points: row.points, costPerVoteHundredths: row.costPerVoteCents, selectedBy: row.selectedBy,
    })),
    groups: r.groups.map((g) => ({ group: g.group, ballots: g.ballots, perRule: g.perRule })),
    smallGroups: { groups: r.smallGroups.groups, ballots: r.smallGroups.ballots, perRule: r.smallGroups.outcome?.perRule ?? null },
    categories: r.categories,
  };
}
