/**
 * A seeded synthetic city-wide election for benchmarks and stress tests: projects spread over
 * districts with log-uniform costs (5,000 – 1,500,000) and skewed popularity; each voter lives in a
 * district, approves 1–10 projects (mostly 2–5), favouring popular projects and their own district's.
 * The budget is a fifth of the total cost, so rules must choose.
 */
import type { Profile } from "./profile.js";

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  voters: number;
  projects: number;
  districts?: number;
  seed?: number;
  /** Cumulative ballots: spread `points` points over the approved projects. */
  points?: number;
}

export function syntheticElection(options: SyntheticOptions): Profile {
  const { voters, projects } = options;
  const districts = options.districts ?? 10;
  const random = seededRandom(options.seed ?? 2024);
  const costs: number[] = [];
  const popularity: number[] = [];
  const district: number[] = [];
  for (let j = 0; j < projects; j++) {
    const cost = Math.exp(Math.log(5000) + random() * (Math.log(1_500_000) - Math.log(5000)));
    costs.push(Math.max(100, Math.round(cost / 100) * 100));
    popularity.push(0.02 + random() ** 2);
    district.push(j < projects / 5 ? -1 : j % districts); // a fifth are city-wide
  }
  // Per-district cumulative weights: own district ×4, city-wide ×2, elsewhere ×0.3.
  const cumulative = Array.from({ length: districts }, (_, d) => {
    const c = new Float64Array(projects);
    let total = 0;
    for (let j = 0; j < projects; j++) {
      const boost = district[j] === d ? 4 : district[j] === -1 ? 2 : 0.3;
      c[j] = total += popularity[j] * boost;
    }
    return c;
  });
  const draw = (c: Float64Array) => {
    const target = random() * c[c.length - 1];
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const ballotStart = new Int32Array(voters + 1);
  const entries: number[] = [];
  const points: number[] = [];
  const chosen = new Set<number>();
  for (let v = 0; v < voters; v++) {
    const c = cumulative[Math.floor(random() * districts)];
    const size = Math.min(projects, 1 + Math.floor(random() * random() * 10));
    chosen.clear();
    while (chosen.size < size) chosen.add(draw(c));
    for (const j of chosen) entries.push(j);
    if (options.points) {
      // Spread the points: at least one each, the rest at random.
      const share = new Array<number>(size).fill(1);
      for (let left = Math.max(0, options.points - size); left > 0; left--) share[Math.floor(random() * size)]++;
      points.push(...share);
    }
    ballotStart[v + 1] = entries.length;
  }
  const total = costs.reduce((a, b) => a + b, 0);
  return {
    budget: Math.round(total / 5),
    projectIds: costs.map((_, j) => String(j + 1)),
    costs,
    voterCount: voters,
    ballotStart,
    ballotProject: Int32Array.from(entries),
    ballotPoints: options.points ? Int32Array.from(points) : null,
  };
}
