/**
 * Seeds: Kansas City's known budget figures (from press reports, marked so), and a small,
 * clearly labelled synthetic demo (a demo city's budget and two demo People's Budgets) for
 * `npm start`. Both are idempotent: running them again adds nothing.
 */
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import * as cityRepo from "./city-repo.js";
import * as repo from "./pb-repo.js";
import { codeHmac } from "./pb-service.js";

export const KC_CITY = "Kansas City, Missouri";
const KC_SOURCE = "Press reports as gathered in the coalition's campaign materials (Oversight's DOMAIN.md): \"the city allocated over $250 million to the police in FY2020 and about $10 million more in FY2021\"";

/**
 * Kansas City's police budget for FY2020 and FY2021 as the press reported it: over $250 million,
 * then about $10 million more. The general fund total is not in our sources, so it is left
 * unknown (the pages say so; an administrator can enter it). Returns the years added.
 */
export async function seedKansasCityBudget(db: Db): Promise<string[]> {
  const added: string[] = [];
  const years = [
    {
      fiscal_year: 2020,
      amount: 250_000_000_00,
      precision: "at_least" as const,
      lineNote: {
        en: "The reports say \"over $250 million\": $250,000,000 is a lower bound.",
        es: "Los informes dicen «más de 250 millones de dólares»: 250.000.000 $ es un mínimo.",
      },
    },
    {
      fiscal_year: 2021,
      amount: 260_000_000_00,
      precision: "about" as const,
      lineNote: {
        en: "Assumption: the reports say \"about $10 million more\" than FY2020; $250,000,000 + $10,000,000 = about $260,000,000. Since FY2020 was \"over\" $250 million, this is if anything an underestimate.",
        es: "Suposición: los informes dicen «unos 10 millones de dólares más» que en FY2020; 250.000.000 $ + 10.000.000 $ = unos 260.000.000 $. Como FY2020 fue «más de» 250 millones, esto es, si acaso, una subestimación.",
      },
    },
  ];
  await db.transaction(async (tx) => {
    for (const y of years) {
      if (await cityRepo.findYearByCity(tx, KC_CITY, y.fiscal_year)) continue;
      const id = await cityRepo.insertYear(tx, {
        city: KC_CITY,
        fiscal_year: y.fiscal_year,
        label: `FY${y.fiscal_year}`,
        general_fund_cents: null,
        general_fund_basis: null,
        general_fund_source: null,
        note_en: "Police figure from press reports. The general fund total for this year is not in our sources, so the police share of it is unknown until it is entered from the adopted budget.",
        note_es: "Cifra de la policía según informes de prensa. El total del fondo general de este año no está en nuestras fuentes, así que la parte de la policía es desconocida hasta que se ingrese desde el presupuesto aprobado.",
      });
      await cityRepo.insertLines(tx, id, [{
        position: 1, department: "Kansas City Police Department (KCPD)", category: "Public safety", amount_cents: y.amount, precision: y.precision,
        is_police: true, basis: "press", source: KC_SOURCE, note_en: y.lineNote.en, note_es: y.lineNote.es,
      }]);
      await appendAudit(tx, { actor: "system:seed", action: "budget.year.seed", entity: "budget_year", entityId: id, data: { city: KC_CITY, fiscalYear: y.fiscal_year, basis: "press" } });
      added.push(`FY${y.fiscal_year}`);
    }
  });
  return added;
}

// The demo ----------------------------------------------------------------------------------------

export const DEMO_CITY = "Demo City (synthetic data)";
export const DEMO_VOTING_SLUG = "demo-peoples-budget-2026";
export const DEMO_RESULTS_SLUG = "demo-peoples-budget-2025";
/** The demo's eligible ZIP codes (Kansas City ZIPs, used for a synthetic vote). */
export const DEMO_ZIPS = ["64105", "64106", "64108", "64109", "64110", "64111", "64124", "64127", "64128", "64130"];
/** Codes that work in the demo voting process when the demo was seeded with the server's secret. */
export const DEMO_CODES = Array.from({ length: 20 }, (_, i) => `DEMO-CODE-${String(i + 1).padStart(2, "0")}`);

type DemoProposal = { en: string; es: string; den: string; des: string; category: string; location: string; cost: number; status?: "feasible" | "infeasible" | "idea"; review?: string };

const VOTING_PROPOSALS: DemoProposal[] = [
  { en: "Emergency rent relief fund", es: "Fondo de ayuda de emergencia para el alquiler", den: "One-time help for tenants facing eviction.", des: "Ayuda única para inquilinos en riesgo de desalojo.", category: "housing", location: "Citywide", cost: 300_000 },
  { en: "Repair grants for older homes", es: "Subsidios para reparar casas antiguas", den: "Roofs, furnaces and ramps for homeowners on low incomes.", des: "Techos, calefacción y rampas para propietarios de bajos ingresos.", category: "housing", location: "East side", cost: 220_000 },
  { en: "Mobile health clinic", es: "Clínica de salud móvil", den: "A van with a nurse practitioner, five days a week.", des: "Una camioneta con una enfermera especializada, cinco días a la semana.", category: "healthcare", location: "64130", cost: 180_000 },
  { en: "Mental-health crisis responders", es: "Equipo de respuesta a crisis de salud mental", den: "Trained responders instead of police for mental-health calls.", des: "Personal capacitado en lugar de la policía para llamadas de salud mental.", category: "healthcare", location: "Citywide", cost: 350_000 },
  { en: "Protected bike lanes on Prospect Avenue", es: "Ciclovías protegidas en Prospect Avenue", den: "Two miles of protected lanes.", des: "Tres kilómetros de carriles protegidos.", category: "infrastructure", location: "Prospect Avenue", cost: 260_000 },
  { en: "Solar panels for community centers", es: "Paneles solares para centros comunitarios", den: "Lower bills and backup power at three centers.", des: "Facturas más bajas y energía de respaldo en tres centros.", category: "infrastructure", location: "Three community centers", cost: 150_000 },
  { en: "After-school tutoring", es: "Tutorías después de clases", den: "Paid tutors at four libraries.", des: "Tutores pagados en cuatro bibliotecas.", category: "education", location: "Four libraries", cost: 120_000 },
  { en: "Adult literacy and GED classes", es: "Alfabetización de adultos y clases de GED", den: "Evening classes with childcare.", des: "Clases nocturnas con cuidado de niños.", category: "education", location: "Westside", cost: 90_000 },
  { en: "New police substation", es: "Nueva subestación de policía", den: "Not eligible: the People's Budget funds housing, healthcare, sustainable infrastructure and education.", des: "No elegible: el Presupuesto del Pueblo financia vivienda, salud, infraestructura sostenible y educación.", category: "", location: "Downtown", cost: 900_000, status: "infeasible", review: "Outside the People's Budget's four categories." },
];

/**
 * The past demo round: three neighbourhoods (ZIP codes). Downtown-and-Midtown voters are the
 * majority and back the large projects near them; under "most votes first" they take almost the
 * whole budget, while Equal Shares funds projects for every group.
 */
const RESULTS_PROPOSALS: (DemoProposal & { zip: string })[] = [
  { en: "Midtown affordable housing land trust", es: "Fideicomiso de tierras para vivienda asequible en Midtown", den: "Buys land to keep homes affordable.", des: "Compra terrenos para mantener viviendas asequibles.", category: "housing", location: "Midtown", cost: 200_000, zip: "64111" },
  { en: "Midtown streetcar stop shelters", es: "Refugios en las paradas del tranvía de Midtown", den: "Shade, seats and lighting.", des: "Sombra, asientos y luz.", category: "infrastructure", location: "Midtown", cost: 120_000, zip: "64111" },
  { en: "Downtown green roofs", es: "Techos verdes en el centro", den: "Cooler, greener public buildings.", des: "Edificios públicos más frescos y verdes.", category: "infrastructure", location: "Downtown", cost: 110_000, zip: "64111" },
  { en: "Midtown library makerspace", es: "Taller de creación en la biblioteca de Midtown", den: "Tools and classes for teenagers.", des: "Herramientas y clases para adolescentes.", category: "education", location: "Midtown", cost: 60_000, zip: "64111" },
  { en: "East side community health workers", es: "Promotores de salud comunitaria en el este", den: "Neighbours trained to connect people with care.", des: "Vecinos capacitados para conectar a las personas con atención médica.", category: "healthcare", location: "East side", cost: 90_000, zip: "64130" },
  { en: "East side tenant legal aid", es: "Asistencia legal para inquilinos en el este", den: "Lawyers for tenants in housing court.", des: "Abogados para inquilinos en el tribunal de vivienda.", category: "housing", location: "East side", cost: 70_000, zip: "64130" },
  { en: "Swope Park trail repairs", es: "Reparación de senderos en Swope Park", den: "Safe paths for walking and biking.", des: "Caminos seguros para caminar y andar en bicicleta.", category: "infrastructure", location: "Swope Park", cost: 50_000, zip: "64130" },
  { en: "Westside dental van", es: "Camioneta dental en el Westside", den: "Free check-ups twice a month.", des: "Revisiones gratuitas dos veces al mes.", category: "healthcare", location: "Westside", cost: 40_000, zip: "64108" },
  { en: "Westside bilingual preschool seats", es: "Plazas de preescolar bilingüe en el Westside", den: "Twenty more seats.", des: "Veinte plazas más.", category: "education", location: "Westside", cost: 45_000, zip: "64108" },
];

/** A small deterministic generator (mulberry32), so the demo is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoReport {
  years: string[];
  processes: string[];
  codes: number;
}

/**
 * Loads the synthetic demo: "Demo City" budget years with a known general fund (so the share,
 * the cap and the amount to move show), a People's Budget that is voting now, and a past one
 * with synthetic ballots counted by every rule. Everything says "demo". With the server's
 * secret, DEMO_CODES also work as voting codes in the open process.
 */
export async function seedBudgetDemo(db: Db, options: { secret?: Buffer } = {}): Promise<DemoReport> {
  const report: DemoReport = { years: [], processes: [], codes: 0 };
  await db.transaction(async (tx) => {
    // A demo city with whole figures (synthetic).
    const cityYears = [
      { fy: 2022, gf: 1_200_000_000, police: 300_000_000, housing: 40_000_000, health: 30_000_000, infra: 60_000_000, education: 25_000_000 },
      { fy: 2023, gf: 1_250_000_000, police: 312_000_000, housing: 42_000_000, health: 31_000_000, infra: 61_000_000, education: 26_000_000 },
      { fy: 2024, gf: 1_300_000_000, police: 325_000_000, housing: 45_000_000, health: 33_000_000, infra: 64_000_000, education: 27_000_000 },
    ];
    for (const y of cityYears) {
      if (await cityRepo.findYearByCity(tx, DEMO_CITY, y.fy)) continue;
      const id = await cityRepo.insertYear(tx, {
        city: DEMO_CITY, fiscal_year: y.fy, label: `FY${y.fy}`, general_fund_cents: y.gf * 100, general_fund_basis: "demo", general_fund_source: "Synthetic demonstration figures",
        note_en: "Synthetic demonstration figures: not a real city's budget.", note_es: "Cifras sintéticas de demostración: no es el presupuesto de una ciudad real.",
      });
      const other = y.gf - y.police - y.housing - y.health - y.infra - y.education;
      const lines: [string, string, number, boolean][] = [
        ["Police Department", "Public safety", y.police, true],
        ["Housing and Community Development", "Housing", y.housing, false],
        ["Health Department", "Healthcare", y.health, false],
        ["Public Works: sustainable infrastructure", "Sustainable infrastructure", y.infra, false],
        ["Youth and adult education", "Education", y.education, false],
        ["All other departments", "Other", other, false],
      ];
      await cityRepo.insertLines(tx, id, lines.map(([department, category, dollars, police], i) => ({
        position: i + 1, department, category, amount_cents: dollars * 100, precision: "exact" as const, is_police: police, basis: "demo" as const,
        source: "Synthetic demonstration figures", note_en: null, note_es: null,
      })));
      await appendAudit(tx, { actor: "system:seed", action: "budget.year.seed", entity: "budget_year", entityId: id, data: { city: DEMO_CITY, fiscalYear: y.fy, basis: "demo" } });
      report.years.push(`FY${y.fy}`);
    }

    const base = {
      title_es: "", description_en: "", description_es: "", city: "Demo City", currency: "USD", pick_n: null, points_total: null,
      official_rule: "equal-shares" as const, demo: true, source_file: null, source_sha256: null, source_meta: null, source_project_columns: null, source_vote_columns: null,
    };

    if (!(await repo.slugTaken(tx, DEMO_VOTING_SLUG))) {
      const id = await repo.insertProcess(tx, {
        ...base,
        slug: DEMO_VOTING_SLUG,
        title_en: "People's Budget 2026 (demo)",
        title_es: "Presupuesto del Pueblo 2026 (demostración)",
        description_en: "A demonstration People's Budget: $1,000,000 for housing, healthcare, sustainable infrastructure and education. Voting is open to the listed ZIP codes by emailed link, and to anyone with a code from a community event.",
        description_es: "Un Presupuesto del Pueblo de demostración: 1.000.000 $ para vivienda, salud, infraestructura sostenible y educación. Pueden votar los códigos postales de la lista con un enlace por correo, y cualquiera con un código de un evento comunitario.",
        budget: 1_000_000, phase: "voting", ballot_type: "approval_budget", eligibility_zip: true, eligibility_codes: true, zips: DEMO_ZIPS,
      });
      await repo.insertProposals(tx, id, VOTING_PROPOSALS.map((p, i) => ({
        code: String(i + 1), position: i + 1, title_en: p.en, title_es: p.es, description_en: p.den, description_es: p.des, category: p.category, location: p.location,
        cost: p.cost, status: p.status ?? "feasible", review_note: p.review ?? null, source_fields: null,
      })));
      if (options.secret) {
        await repo.insertCodes(db, tx, id, "Demo codes", DEMO_CODES.map((code) => codeHmac(options.secret!, id, code.replace(/-/g, ""))));
        report.codes = DEMO_CODES.length;
      }
      await appendAudit(tx, { actor: "system:seed", action: "pb.process.create", entity: "pb_process", entityId: id, data: { slug: DEMO_VOTING_SLUG, demo: true } });
      report.processes.push(DEMO_VOTING_SLUG);
    }

    if (!(await repo.slugTaken(tx, DEMO_RESULTS_SLUG))) {
      const id = await repo.insertProcess(tx, {
        ...base,
        slug: DEMO_RESULTS_SLUG,
        title_en: "People's Budget 2025 (demo)",
        title_es: "Presupuesto del Pueblo 2025 (demostración)",
        description_en: "A demonstration of a finished vote: 300 synthetic ballots from three neighbourhoods for a $500,000 budget, counted by every rule. Midtown voters are the majority.",
        description_es: "Una demostración de una votación terminada: 300 boletas sintéticas de tres barrios para un presupuesto de 500.000 $, contadas con todas las reglas. Los votantes de Midtown son la mayoría.",
        budget: 500_000, phase: "results", ballot_type: "approval_budget", eligibility_zip: true, eligibility_codes: false, zips: ["64108", "64111", "64130"],
      });
      const ids = await repo.insertProposals(tx, id, RESULTS_PROPOSALS.map((p, i) => ({
        code: String(i + 1), position: i + 1, title_en: p.en, title_es: p.es, description_en: p.den, description_es: p.des, category: p.category, location: p.location,
        cost: p.cost, status: "feasible" as const, review_note: null, source_fields: null,
      })));
      const next = random(2025);
      const groups: [string, number][] = [["64111", 170], ["64130", 90], ["64108", 40]];
      for (const [zip, count] of groups) {
        for (let v = 0; v < count; v++) {
          // Each voter mostly approves projects near home, sometimes one elsewhere, within the budget.
          const chosen: number[] = [];
          let total = 0;
          RESULTS_PROPOSALS.forEach((p, j) => {
            const near = p.zip === zip;
            if (next() < (near ? 0.85 : 0.12) && total + p.cost <= 500_000) {
              chosen.push(j);
              total += p.cost;
            }
          });
          if (chosen.length === 0) chosen.push(RESULTS_PROPOSALS.findIndex((p) => p.zip === zip));
          await repo.insertBallot(tx, id, chosen.map((j) => ids[j]), null, zip);
        }
      }
      await repo.sealBallots(tx, id);
      await appendAudit(tx, { actor: "system:seed", action: "pb.process.create", entity: "pb_process", entityId: id, data: { slug: DEMO_RESULTS_SLUG, demo: true, ballots: 300 } });
      report.processes.push(DEMO_RESULTS_SLUG);
    }
  });
  return report;
}
