import { cpdpFormat } from "./cpdp/format.js";
import { csvMappingFormat } from "./csv-mapping/format.js";
import type { ImportFormat } from "./format.js";
import { fatalForceFormat } from "./fatal-force.js";
import { settlementsFormat } from "./settlements.js";

/** The formats `oversight import <format>` knows. csv needs --mapping. */
export function importFormat(name: string, options: { mapping?: string } = {}): Promise<ImportFormat> | ImportFormat {
  switch (name) {
    case "cpdp":
      return cpdpFormat();
    case "settlements":
      return settlementsFormat();
    case "fatal-force":
      return fatalForceFormat();
    case "csv":
      if (!options.mapping) throw new Error("the csv format needs --mapping <file> (see docs/import-mapping.md)");
      return csvMappingFormat(options.mapping);
    default:
      throw new Error(`unknown import format "${name}": use one of ${IMPORT_FORMATS.join(", ")}`);
  }
}

export const IMPORT_FORMATS = ["cpdp", "settlements", "fatal-force", "csv"] as const;
