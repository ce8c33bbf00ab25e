import type { ImportFormat } from "../format.js";
import { RowError } from "../errors.js";

export function cpdpFormat(): ImportFormat {
  return {
    name: "cpdp",
    openFile() {
      throw new RowError(null, "the cpdp importer is not built yet");
    },
  };
}
