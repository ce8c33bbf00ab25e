import { createWriteStream } from "node:fs";
import { Command } from "commander";
import { z } from "zod";
import { exportRecords, EXPORT_TABLES } from "../records/export.js";
import { DATA_DIR_HELP, openDatabase } from "./shared.js";

const optionsSchema = z.object({
  format: z.enum(["csv", "json"]),
  out: z.string().optional(),
  dataDir: z.string().optional(),
  q: z.string().max(200).optional(),
  agency: z.string().max(100).optional(),
  finding: z.string().max(40).optional(),
  year: z.string().regex(/^\d{4}$/, "must be a four-digit year").optional(),
});

export function exportCommand(): Command {
  return new Command("export")
    .description("write a records table, or a search of it, as CSV or JSON")
    .argument("<table>", EXPORT_TABLES.join(" | "))
    .option("--format <format>", "csv | json", "csv")
    .option("--out <file>", "write here instead of standard output")
    .option("--q <text>", "search: officer name, or complaint words")
    .option("--agency <slug>", "only this agency")
    .option("--finding <finding>", "only allegations/complaints with this final finding")
    .option("--year <year>", "only this year")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (table: string, raw: Record<string, string | undefined>) => {
      const options = optionsSchema.parse(raw);
      if (!(EXPORT_TABLES as readonly string[]).includes(table)) throw new Error(`unknown table "${table}": use one of ${EXPORT_TABLES.join(", ")}`);
      const { db } = await openDatabase(options);
      const out = options.out ? createWriteStream(options.out) : process.stdout;
      try {
        const rows = await exportRecords(db, table as (typeof EXPORT_TABLES)[number], options, options.format, (chunk) => out.write(chunk));
        if (options.out) console.error(`wrote ${rows} rows to ${options.out}`);
      } finally {
        if (options.out) await new Promise((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
        await db.close();
      }
    });
}
