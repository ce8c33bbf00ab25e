import type { ImportFormat } from "./format.js";
import { RowError } from "./errors.js";

export function fatalForceFormat(): ImportFormat {
  return {
    name: "fatal-force",
    openFile() {
      throw new RowError(null, "the fatal-force importer is not built yet");
    },
  };
}
