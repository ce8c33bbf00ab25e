/**
 * The Kansas City facts (2020–2021), as ../shared/DOMAIN.md states them, for
 * `oversight seed kansas-city`. Everything here that DOMAIN.md does not state is
 * marked `basis: "assumption"` with a note saying why, and the pages show it.
 * Spanish texts are our translations (`translated: true`), not the source's words.
 */
import type { Basis, DemandStatus } from "./schema.js";

export interface Bilingual {
  en: string;
  es: string;
}

export const KC_SOURCES = [
  {
    slug: "kc-coalition-letters",
    title: "The coalition's letters (dated 2021-04-22)",
    dated: "2021-04-22",
    note: "Demands began in June 2020; the letters are dated 2021-04-22. The texts here are as summarized in Oversight's DOMAIN.md; the letters themselves are not stored.",
  },
  {
    slug: "kc-petition",
    title: "Petition: Demand the Resignation of Kansas City Police Chief Smith",
    dated: null,
    note: "Goal 7,500 signatures; cites a joint statement by the Urban League of Greater Kansas City, the NAACP Kansas City branch and MORE2. Its date is not recorded.",
  },
  {
    slug: "kc-domain",
    title: "Oversight DOMAIN.md: the Kansas City facts",
    dated: null,
    note: "The facts Oversight was seeded with: officials, the board, meetings, budget.",
  },
] as const;

export const KC_COALITION = {
  slug: "kc-coalition",
  /** A description, not the coalition's own name (DOMAIN.md does not give one). */
  name: { en: "Kansas City coalition of seven organizations", es: "Coalición de siete organizaciones de Kansas City" },
  city: "Kansas City, Missouri",
  note: {
    en: "Seven organizations that pressed the city for police reform in 2020–2021. The coalition's own name is not recorded here.",
    es: "Siete organizaciones que presionaron a la ciudad por una reforma policial en 2020–2021. El nombre propio de la coalición no consta aquí.",
  },
};

/** The coalition's seven member organizations, in DOMAIN.md's order. */
export const KC_ORGANIZATIONS = [
  { slug: "black-rainbow", name: "Black Rainbow", abbreviation: null },
  { slug: "naacp-kc", name: "NAACP (Kansas City branch)", abbreviation: "NAACP" },
  { slug: "nbuf-kc", name: "National Black United Front – Kansas City", abbreviation: "NBUF" },
  { slug: "operation-liberation", name: "Operation Liberation", abbreviation: null },
  { slug: "sclc-gkc", name: "Southern Christian Leadership Conference of Greater Kansas City", abbreviation: "SCLC-GKC" },
  { slug: "urban-league-gkc", name: "Urban League of Greater Kansas City", abbreviation: null },
  { slug: "urban-summit-kc", name: "Urban Summit of Kansas City", abbreviation: null },
] as const;

export type TargetSlug = "mayor" | "board" | "chief" | "council" | "prosecutor" | "governor";

/** The officials and bodies that can act on the demands. */
export const KC_TARGETS: { slug: TargetSlug; kind: "person" | "body"; title: Bilingual; holder: string | null; note: Bilingual }[] = [
  {
    slug: "mayor", kind: "person", title: { en: "Mayor", es: "Alcalde" }, holder: "Quinton Lucas",
    note: { en: "One of five votes on the Board of Police Commissioners.", es: "Uno de los cinco votos de la Junta de Comisionados de Policía." },
  },
  {
    slug: "board", kind: "body", title: { en: "Board of Police Commissioners", es: "Junta de Comisionados de Policía" }, holder: null,
    note: { en: "5 members; the governor appoints members; terminating the chief needs a majority.", es: "5 miembros; el gobernador nombra a los miembros; destituir al jefe requiere una mayoría." },
  },
  {
    slug: "chief", kind: "person", title: { en: "Chief of Police", es: "Jefe de Policía" }, holder: "Rick Smith",
    note: { en: "Chief of the Kansas City Police Department (KCPD).", es: "Jefe del Departamento de Policía de Kansas City (KCPD)." },
  },
  {
    slug: "council", kind: "body", title: { en: "City Council", es: "Concejo Municipal" }, holder: null,
    note: { en: "Passes the budget.", es: "Aprueba el presupuesto." },
  },
  {
    slug: "prosecutor", kind: "person", title: { en: "Jackson County Prosecuting Attorney", es: "Fiscal del Condado de Jackson" }, holder: "Jean Peters Baker",
    note: { en: "", es: "" },
  },
  {
    slug: "governor", kind: "person", title: { en: "Governor", es: "Gobernador" }, holder: "Mike Parson",
    note: { en: "Appoints the commissioners; the mayor recommended three names.", es: "Nombra a los comisionados; el alcalde recomendó tres nombres." },
  },
];

export interface TargetLink {
  target: TargetSlug;
  basis: Basis;
  note: Bilingual;
}

const stated = (target: TargetSlug, note: Bilingual): TargetLink => ({ target, basis: "stated", note });
const assumed = (target: TargetSlug, note: Bilingual): TargetLink => ({ target, basis: "assumption", note });
const NOT_STATED: Bilingual = {
  en: "DOMAIN.md does not say who can act on this demand; this target is our assumption.",
  es: "DOMAIN.md no dice quién puede actuar sobre esta demanda; este destinatario es una suposición nuestra.",
};
const BOARD_MAJORITY: Bilingual = {
  en: "DOMAIN.md: terminating the chief needs a majority of the Board of Police Commissioners.",
  es: "DOMAIN.md: destituir al jefe requiere una mayoría de la Junta de Comisionados de Policía.",
};
const MAYOR_VOTE: Bilingual = {
  en: "DOMAIN.md: the mayor is one of five votes on the Board of Police Commissioners.",
  es: "DOMAIN.md: el alcalde es uno de los cinco votos de la Junta de Comisionados de Policía.",
};
const COUNCIL_BUDGET: Bilingual = {
  en: "DOMAIN.md: the city council passes the budget.",
  es: "DOMAIN.md: el concejo municipal aprueba el presupuesto.",
};

export interface SeedDemand {
  number: number;
  text: Bilingual;
  priority?: Bilingual;
  targets: TargetLink[];
}

/** The coalition's 14 demands, in DOMAIN.md's words; the first is the most important. */
export const KC_DEMANDS: SeedDemand[] = [
  {
    number: 1,
    text: { en: "Remove Police Chief Rick Smith.", es: "Destituir al jefe de policía Rick Smith." },
    priority: { en: "The coalition's most important demand.", es: "La demanda más importante de la coalición." },
    targets: [
      stated("board", BOARD_MAJORITY),
      stated("mayor", MAYOR_VOTE),
    ],
  },
  {
    number: 2,
    text: {
      en: "Divest from KCPD by legislating a budget cut: the total KCPD budget reduced to 20% of the general fund, as state law requires.",
      es: "Desinvertir en el KCPD legislando un recorte presupuestario: reducir el presupuesto total del KCPD al 20 % del fondo general, como exige la ley estatal.",
    },
    targets: [stated("council", COUNCIL_BUDGET), assumed("mayor", NOT_STATED)],
  },
  {
    number: 3,
    text: {
      en: "Invest in a community-established People's Budget, redirecting KCPD funding to housing, healthcare, sustainable infrastructure and education.",
      es: "Invertir en un Presupuesto del Pueblo establecido por la comunidad, redirigiendo fondos del KCPD a vivienda, atención médica, infraestructura sostenible y educación.",
    },
    targets: [stated("council", COUNCIL_BUDGET), assumed("mayor", NOT_STATED)],
  },
  {
    number: 4,
    text: { en: "Dismantle the Office of Community Complaints.", es: "Desmantelar la Oficina de Quejas Comunitarias (Office of Community Complaints)." },
    targets: [assumed("board", NOT_STATED)],
  },
  {
    number: 5,
    text: { en: "Establish an independent community-based and governed office of complaints.", es: "Establecer una oficina de quejas independiente, basada en la comunidad y gobernada por ella." },
    targets: [assumed("council", NOT_STATED), assumed("mayor", NOT_STATED)],
  },
  {
    number: 6,
    text: { en: "Create a foot-chase policy on non-violent allegations.", es: "Crear una política sobre persecuciones a pie por presuntos delitos no violentos." },
    targets: [assumed("board", NOT_STATED), assumed("chief", NOT_STATED)],
  },
  {
    number: 7,
    text: { en: "Mandate immediate suspension without pay for officers under criminal indictment.", es: "Exigir la suspensión inmediata sin goce de sueldo de los agentes acusados formalmente de un delito." },
    targets: [assumed("board", NOT_STATED), assumed("chief", NOT_STATED)],
  },
  {
    number: 8,
    text: {
      en: "Create a transformative, strategic reparations plan for the families of those killed by KCPD.",
      es: "Crear un plan de reparaciones transformador y estratégico para las familias de las personas muertas a manos del KCPD.",
    },
    targets: [assumed("council", NOT_STATED), assumed("mayor", NOT_STATED)],
  },
  {
    number: 9,
    text: { en: "Withhold pensions and don't rehire officers involved in excessive force.", es: "Retener las pensiones de los agentes involucrados en uso excesivo de la fuerza y no volver a contratarlos." },
    targets: [assumed("board", NOT_STATED)],
  },
  {
    number: 10,
    text: { en: "Require officers to be liable for misconduct settlements.", es: "Exigir que los agentes respondan por los acuerdos indemnizatorios por mala conducta." },
    targets: [assumed("council", NOT_STATED)],
  },
  {
    number: 11,
    text: { en: "Cap overtime accrual, and overtime pay for military exercises.", es: "Limitar la acumulación de horas extra y el pago de horas extra por ejercicios militares." },
    targets: [assumed("board", NOT_STATED), assumed("chief", NOT_STATED)],
  },
  {
    number: 12,
    text: { en: "Withdraw participation in police militarization programs.", es: "Retirarse de los programas de militarización policial." },
    targets: [assumed("board", NOT_STATED), assumed("chief", NOT_STATED)],
  },
  {
    number: 13,
    text: {
      en: "Establish an open-records ordinance so officers' misconduct information and disciplinary histories are not shielded from the public.",
      es: "Establecer una ordenanza de registros públicos para que la información sobre la mala conducta de los agentes y sus historiales disciplinarios no se oculten al público.",
    },
    targets: [assumed("council", NOT_STATED)],
  },
  {
    number: 14,
    text: { en: "Appoint a special prosecutor to investigate alleged police misconduct.", es: "Nombrar a un fiscal especial para investigar la presunta mala conducta policial." },
    targets: [assumed("prosecutor", NOT_STATED), assumed("governor", NOT_STATED)],
  },
];

/** The petition's demands, as DOMAIN.md lists them. */
export const KC_PETITION_DEMANDS: SeedDemand[] = [
  {
    number: 1,
    text: { en: "Accept all routine requests for criminal complaints against the department.", es: "Aceptar todas las solicitudes ordinarias de denuncias penales contra el departamento." },
    targets: [assumed("chief", NOT_STATED)],
  },
  {
    number: 2,
    text: {
      en: "Investigate every excessive-force claim externally, besides the internal investigation.",
      es: "Investigar externamente cada denuncia de uso excesivo de la fuerza, además de la investigación interna.",
    },
    targets: [assumed("board", NOT_STATED)],
  },
  {
    number: 3,
    text: {
      en: "Publish the names of officers responsible for excessive-force complaints resulting in death.",
      es: "Publicar los nombres de los agentes responsables en las quejas por uso excesivo de la fuerza que resultaron en una muerte.",
    },
    targets: [assumed("chief", NOT_STATED), assumed("board", NOT_STATED)],
  },
  {
    number: 4,
    text: {
      en: "Stop the premature reinstatement of officers under open investigation for excessive force, misconduct or homicide.",
      es: "Detener la reincorporación prematura de agentes con investigaciones abiertas por uso excesivo de la fuerza, mala conducta u homicidio.",
    },
    targets: [assumed("chief", NOT_STATED), assumed("board", NOT_STATED)],
  },
  {
    number: 5,
    text: {
      en: "Appeal an officer's immunity in a death the petition names, and reopen that case with an external investigation.",
      es: "Apelar la inmunidad de un agente en una muerte que la petición nombra, y reabrir ese caso con una investigación externa.",
    },
    targets: [assumed("prosecutor", NOT_STATED)],
  },
  {
    number: 6,
    text: { en: "The police chief's resignation.", es: "La renuncia del jefe de policía." },
    targets: [stated("chief", { en: "A resignation is the chief's own act.", es: "La renuncia es un acto del propio jefe." })],
  },
];

/**
 * The petition, as data for the petitions module (which owns signatures and counts).
 * The petition's own full text is not in DOMAIN.md: `summary` is ours and says so.
 * Its demands are also stored as the demand list `kc-petition-demands`, whose demand
 * slugs are `kc-petition-1` … `kc-petition-6`, so their status can be tracked here.
 */
export const KANSAS_CITY_PETITION = {
  slug: "kc-chief-resignation",
  title: {
    en: "Demand the Resignation of Kansas City Police Chief Smith",
    es: "Exijan la renuncia del jefe de policía de Kansas City, Smith",
  },
  titleEsTranslated: true,
  goal: 7_500,
  summary: {
    en: "Citing a joint statement by the Urban League of Greater Kansas City, the NAACP Kansas City branch and MORE2, the petition demands the resignation of Kansas City Police Chief Rick Smith, and five changes in how the department handles complaints and excessive force.",
    es: "Citando una declaración conjunta de la Urban League of Greater Kansas City, la sección de Kansas City de la NAACP y MORE2, la petición exige la renuncia del jefe de policía de Kansas City, Rick Smith, y cinco cambios en la forma en que el departamento trata las quejas y el uso excesivo de la fuerza.",
  },
  /** The summary is ours: DOMAIN.md does not give the petition's full text. */
  summaryIsOurs: true,
  citedStatementBy: ["Urban League of Greater Kansas City", "NAACP (Kansas City branch)", "MORE2"],
  /**
   * The coalition's slugs of citedStatementBy, index by index (MORE2, not a member, has none):
   * the petitions module pairs the two arrays by position.
   */
  citedStatementOrganizationSlugs: ["urban-league-gkc", "naacp-kc"],
  /** Who the petition is addressed to is not stated: the chief is our assumption from its title. */
  target: { slug: "chief" as TargetSlug, basis: "assumption" as Basis },
  opensOn: null as string | null,
  closesOn: null as string | null,
  demandListSlug: "kc-petition-demands",
  demands: KC_PETITION_DEMANDS.map((demand) => ({ slug: `kc-petition-${demand.number}`, number: demand.number, text: demand.text, textEsTranslated: true })),
} as const;

export const KC_DEMAND_LISTS = [
  {
    slug: "kc-coalition-demands",
    title: { en: "The coalition's 14 demands", es: "Las 14 demandas de la coalición" },
    source: "kc-coalition-letters",
    issuedOn: "2021-04-22",
    began: "2020-06",
    demandSlug: (n: number) => `kc-${n}`,
    demands: KC_DEMANDS,
    coalition: true,
  },
  {
    slug: "kc-petition-demands",
    title: { en: "The petition's demands", es: "Las demandas de la petición" },
    source: "kc-petition",
    issuedOn: null,
    began: null,
    demandSlug: (n: number) => `kc-petition-${n}`,
    demands: KC_PETITION_DEMANDS,
    coalition: false,
  },
] as const;

/** Every demand starts unmet: a starting state, not a finding. */
export const KC_INITIAL_STATUS: DemandStatus = "unmet";

/** The Board of Police Commissioners: 5 seats. Only the mayor's is named in DOMAIN.md. */
export const KC_BOARD = {
  slug: "kc-board-of-police-commissioners",
  name: { en: "Board of Police Commissioners", es: "Junta de Comisionados de Policía" },
  seats: 5,
  target: "board" as TargetSlug,
  note: {
    en: "DOMAIN.md: 5 members; the governor appoints members; the mayor is one of the five votes; terminating the chief needs a majority. The quorum shown (3) is Robert's Rules' default, an assumption: the board's bylaws are not recorded here. Seat numbers are ours.",
    es: "DOMAIN.md: 5 miembros; el gobernador nombra a los miembros; el alcalde es uno de los cinco votos; destituir al jefe requiere una mayoría. El quórum indicado (3) es el predeterminado de las Reglas de Robert, una suposición: el reglamento de la junta no consta aquí. La numeración de los puestos es nuestra.",
  },
  seatList: [
    { position: 1, label: { en: "Mayor (seat 1)", es: "Alcalde (puesto 1)" }, holder: "Quinton Lucas", target: "mayor" as TargetSlug, note: { en: "DOMAIN.md: the mayor is one of five votes on the board.", es: "DOMAIN.md: el alcalde es uno de los cinco votos de la junta." } },
    ...[2, 3, 4, 5].map((position) => ({
      position,
      label: { en: `Commissioner (seat ${position})`, es: `Comisionado/a (puesto ${position})` },
      holder: null,
      target: null,
      note: { en: "The governor appoints the board's members (DOMAIN.md); this member's name is not recorded here.", es: "El gobernador nombra a los miembros de la junta (DOMAIN.md); el nombre de este miembro no consta aquí." },
    })),
  ],
};

export const KC_PROMISE = {
  slug: "kc-monthly-meetings",
  title: { en: "Monthly meetings promised by the mayor and the chief", es: "Reuniones mensuales prometidas por el alcalde y el jefe de policía" },
  perMonth: 1,
  sinceMonth: "2020-06",
  untilMonth: "2021-04",
  basis: "assumption" as Basis,
  basisNote: {
    en: "DOMAIN.md states that the mayor and the chief met organizers regularly and promised monthly meetings, but not when the promise was made or for how long. The window shown (June 2020, when the demands began, to April 2021, the last month with recorded facts) is our assumption. Their regular meetings are not recorded here with dates, so 'held' counts only meetings recorded in Oversight: zero means not recorded, not proven not held.",
    es: "DOMAIN.md dice que el alcalde y el jefe se reunían con regularidad con los organizadores y prometieron reuniones mensuales, pero no cuándo se hizo la promesa ni por cuánto tiempo. El periodo mostrado (de junio de 2020, cuando comenzaron las demandas, a abril de 2021, el último mes con hechos registrados) es una suposición nuestra. Sus reuniones regulares no constan aquí con fechas, así que «celebradas» cuenta solo las reuniones registradas en Oversight: cero significa no registrada, no que se haya probado que no se celebró.",
  } as Bilingual,
};

export const KC_MEETINGS = [
  {
    key: "kc-2021-04-21-in-person",
    title: { en: "In-person meeting", es: "Reunión presencial" },
    kind: "officials_community" as const,
    format: "in_person" as const,
    heldOn: "2021-04-21",
    status: "skipped" as const,
    byCoalition: true,
    promise: true,
    ledByCoalition: false,
    participantsMin: null,
    note: {
      en: "The coalition skipped this in-person meeting and led a virtual meeting of more than 100 people instead.",
      es: "La coalición no asistió a esta reunión presencial y en su lugar dirigió una reunión virtual de más de 100 personas.",
    },
    basis: "assumption" as Basis,
    basisNote: {
      en: "DOMAIN.md: the coalition skipped an in-person meeting on 2021-04-21. That it was one of the monthly meetings the mayor and the chief promised is our assumption from context.",
      es: "DOMAIN.md: la coalición no asistió a una reunión presencial el 2021-04-21. Que fuera una de las reuniones mensuales prometidas por el alcalde y el jefe es una suposición nuestra por el contexto.",
    } as Bilingual | null,
  },
  {
    key: "kc-2021-04-21-virtual",
    title: { en: "Virtual meeting led by the coalition", es: "Reunión virtual dirigida por la coalición" },
    kind: "community" as const,
    format: "virtual" as const,
    heldOn: "2021-04-21",
    status: "held" as const,
    byCoalition: false,
    promise: false,
    ledByCoalition: true,
    participantsMin: 100,
    note: {
      en: "Led by the coalition instead of the in-person meeting; more than 100 people took part.",
      es: "Dirigida por la coalición en lugar de la reunión presencial; participaron más de 100 personas.",
    },
    basis: "stated" as Basis,
    basisNote: null as Bilingual | null,
  },
];

/** Figures DOMAIN.md gives that the budget module may want; not stored by the campaign tables. */
export const KC_BUDGET_FACTS = {
  policeFy2020: { atLeastDollars: 250_000_000, text: "over $250 million to the police in FY2020" },
  fy2021Increase: { aboutDollars: 10_000_000, text: "about $10 million more in FY2021" },
  capShareOfGeneralFund: 0.2,
} as const;
