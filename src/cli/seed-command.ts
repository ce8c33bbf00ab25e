import { Command } from "commander";
import { seedKansasCityPetition } from "../campaign/petitions/seed.js";
import { seedKansasCity } from "../campaign/service.js";
import { DATA_DIR_HELP, openDatabase } from "./shared.js";

/** `oversight seed kansas-city`: loads a city's campaign facts; running it again changes nothing. */
export function seedCommand(): Command {
  const seed = new Command("seed").description("load a city's campaign facts (coalition, demands, officials, board, meetings, petition)");
  seed
    .command("kansas-city")
    .description("the Kansas City coalition (7 organizations), its 14 demands, the petition and its demands, the officials, the Board of Police Commissioners (5 seats) and the promised meetings; idempotent")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (options: { dataDir?: string }) => {
      const { db } = await openDatabase(options);
      try {
        const report = await seedKansasCity(db);
        const added = Object.entries(report.added);
        console.log(added.length
          ? `Kansas City facts loaded: ${added.map(([table, n]) => `${n} ${table.replace(/^campaign_/, "").replace(/_/g, " ")}`).join(", ")}`
          : "Kansas City facts already loaded: nothing changed");
        // The petition itself (signatures, counts) belongs to the petitions module; its facts come from KANSAS_CITY_PETITION.
        const petition = await seedKansasCityPetition(db);
        console.log(petition.created ? "Kansas City petition added" : "Kansas City petition already there: nothing changed");
      } finally {
        await db.close();
      }
    });
  return seed;
}
