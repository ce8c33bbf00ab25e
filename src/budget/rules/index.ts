/**
 * Counting rules for participatory budgeting, exact. See README.md in this folder for definitions,
 * tie-breaking and the arithmetic argument.
 */
import { equalShares, type EqualSharesOptions } from "./equal-shares.js";
import { greedy, type Outcome } from "./greedy.js";
import { phragmen, RuleInputError } from "./phragmen.js";
import type { Profile, Utility } from "./profile.js";

export { equalShares, type EqualSharesOptions, type EqualSharesOutcome, type MesTrace, type MesRoundTrace, type MesPayment } from "./equal-shares.js";
export { greedy, greedyOrder, type GreedyOptions, type Outcome } from "./greedy.js";
export { phragmen, RuleInputError } from "./phragmen.js";
export { compile, lexCompare, makeProfile, validateProfile, totalCost, ProfileError, type Profile, type Utility, type SimpleElection } from "./profile.js";
export * as rational from "./rational.js";

export type RuleName = "greedy" | "equal-shares" | "phragmen";
export const RULE_NAMES: readonly RuleName[] = ["greedy", "equal-shares", "phragmen"];

export interface CountOptions {
  rule: RuleName;
  /** Greedy and Equal Shares; default "cost". Phragmén has no utility parameter. */
  utility?: Utility;
  /** Equal Shares only. */
  completion?: "add1" | null;
  /** Fill what is left with utilitarian greedy (same utility). */
  greedyFill?: boolean;
  /** Equal Shares add-one: skip provably unchanged steps (default true). */
  skipAhead?: boolean;
}

export interface CountResult {
  /** Selected project ids, in selection order. */
  selected: string[];
  cost: number;
  /** Selected project indexes, in selection order. */
  indexes: number[];
}

/** Counts an election with one of the rules; the entry point the CLI and the web app use. */
export function count(profile: Profile, options: CountOptions): CountResult {
  const utility = options.utility ?? "cost";
  let outcome: Outcome;
  switch (options.rule) {
    case "greedy":
      if (options.completion) throw new RuleInputError("--completion applies to equal-shares only");
      outcome = greedy(profile, { utility });
      break;
    case "equal-shares":
      outcome = equalShares(profile, {
        utility,
        completion: options.completion ?? null,
        greedyFill: options.greedyFill ?? false,
        skipAhead: options.skipAhead ?? true,
      } satisfies EqualSharesOptions);
      break;
    case "phragmen":
      if (options.completion) throw new RuleInputError("--completion applies to equal-shares only");
      if (options.utility !== undefined) throw new RuleInputError("phragmen has no utility option");
      outcome = phragmen(profile);
      if (options.greedyFill) outcome = greedy(profile, { utility: "cost", initial: outcome.selected });
      break;
    default:
      throw new RuleInputError(`unknown rule '${String(options.rule)}'`);
  }
  return { selected: outcome.selected.map((j) => profile.projectIds[j]), cost: outcome.cost, indexes: outcome.selected };
}
