import type { IntakeInput } from "./schema.js";

type Body = Record<string, string | File | (string | File)[]>;

const one = (body: Body, key: string): string | undefined => {
  const value = body[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : undefined;
};
const many = (body: Body, key: string): string[] => ([] as (string | File)[]).concat(body[key] ?? []).filter((v): v is string => typeof v === "string");
const flag = (body: Body, key: string) => one(body, key) === "1" || one(body, key) === "on";

/** Turns the intake form's fields into the service's input; validation happens in the service. */
export function intakeFromForm(body: Body): IntakeInput {
  const officers = [0, 1, 2, 3, 4].map((i) => ({
    name: one(body, `officer_name_${i}`), badge: one(body, `officer_badge_${i}`),
    vehicle: one(body, `officer_vehicle_${i}`), description: one(body, `officer_description_${i}`),
  }));
  const witnesses = [0, 1, 2].map((i) => ({ name: one(body, `witness_name_${i}`), contact: one(body, `witness_contact_${i}`) }));
  return {
    narrative: one(body, "narrative") ?? "",
    incident_date: one(body, "incident_date"),
    incident_time: one(body, "incident_time"),
    location: one(body, "location"),
    district: one(body, "district"),
    categories: many(body, "categories") as IntakeInput["categories"],
    officers,
    witnesses,
    anonymous: flag(body, "anonymous"),
    third_party: flag(body, "third_party"),
    name: one(body, "name"),
    email: one(body, "email"),
    phone: one(body, "phone"),
    address: one(body, "address"),
    contact_ok: flag(body, "contact_ok"),
    channel: (one(body, "channel") as IntakeInput["channel"]) ?? "online",
    language: one(body, "language") === "es" ? "es" : "en",
  };
}

/** Files attached to the form, for the evidence store. */
export function filesFromForm(body: Body, key = "evidence"): File[] {
  return ([] as (string | File)[]).concat(body[key] ?? []).filter((value): value is File => typeof value !== "string" && value.size > 0);
}
