import type { ImportFormat } from "./format.js";
import { RowError } from "./errors.js";

export function settlementsFormat(): ImportFormat {
  return {
    name: "settlements",
    openFile() {
      throw new RowError(null, "the settlements importer is not built yet");
    },
  };
}
