import type { PresentedProfile } from "./present.js";

export interface TimelineYear {
  year: number;
  allegations: number;
  force: number;
  settlements: number;
}

/** Counts an officer's allegations, force reports and settlements per year. */
export function profileTimeline(profile: PresentedProfile): TimelineYear[] {
  const years = new Map<number, TimelineYear>();
  const bump = (date: string | number | null | undefined, key: "allegations" | "force" | "settlements") => {
    const year = typeof date === "number" ? date : date ? Number(date.slice(0, 4)) : NaN;
    if (!Number.isInteger(year)) return;
    const entry = years.get(year) ?? { year, allegations: 0, force: 0, settlements: 0 };
    entry[key] += 1;
    years.set(year, entry);
  };
  for (const a of profile.allegations) bump(a.complaint.incident ?? a.complaint.received, "allegations");
  for (const f of profile.useOfForce) bump(f.date, "force");
  for (const s of profile.settlements) bump(s.closed ?? s.year, "settlements");
  // Every year between the first and the last, so quiet years show as gaps, not as nothing.
  const known = [...years.keys()];
  if (known.length === 0) return [];
  const result: TimelineYear[] = [];
  for (let year = Math.min(...known); year <= Math.max(...known); year += 1) {
    result.push(years.get(year) ?? { year, allegations: 0, force: 0, settlements: 0 });
  }
  return result;
}
