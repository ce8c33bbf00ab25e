import { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { ImportError } from "../records/import/errors.js";
import { importFormat, IMPORT_FORMATS } from "../records/import/formats.js";
import { formatReport } from "../records/import/report.js";
import { runImport } from "../records/import/runner.js";
import { DATA_DIR_HELP, openDatabase } from "./shared.js";

export function importCommand(): Command {
  return new Command("import")
    .description("import records from source files, all-or-nothing, then print a reconciliation report")
    .argument("<format>", IMPORT_FORMATS.join(" | "))
    .argument("<paths...>", "files to import (.csv or .csv.gz)")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .option("--mapping <file>", "column mapping for the csv format (YAML or JSON)")
    .option("--skip-bad-rows", "import the good rows and write the bad ones to <file>.rejects.csv", false)
    .option("--json", "print the report as JSON", false)
    .action(async (formatName: string, paths: string[], options: { dataDir?: string; mapping?: string; skipBadRows: boolean; json: boolean }) => {
      const format = await importFormat(formatName, { mapping: options.mapping });
      const { db } = await openDatabase(options);
      const progress = process.stdout.isTTY && !options.json ? new ProgressDisplay() : null;
      try {
        const report = await runImport(db, format, paths, { skipBadRows: options.skipBadRows, onProgress: progress?.update });
        progress?.stop();
        console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
      } catch (error) {
        progress?.stop();
        if (error instanceof ImportError) throw new Error(`import failed, nothing was written: ${error.message}`);
        throw error;
      } finally {
        await db.close();
      }
    });
}

/** One bar per file, by bytes read, shown only on a terminal. */
class ProgressDisplay {
  private bar: SingleBar | null = null;
  private file = "";
  update = (file: string, bytesRead: number, totalBytes: number) => {
    if (file !== this.file) {
      this.bar?.stop();
      this.file = file;
      this.bar = new SingleBar({ format: `${file.slice(0, 40).padEnd(40)} {bar} {percentage}%`, hideCursor: true }, Presets.shades_classic);
      this.bar.start(totalBytes, 0);
    }
    this.bar?.update(Math.min(bytesRead, totalBytes));
  };
  stop() {
    this.bar?.stop();
  }
}
