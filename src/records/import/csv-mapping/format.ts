import type { ImportFormat } from "../format.js";
import { RowError } from "../errors.js";

export async function csvMappingFormat(_mappingPath: string): Promise<ImportFormat> {
  return {
    name: "csv",
    openFile() {
      throw new RowError(null, "the csv mapping importer is not built yet");
    },
  };
}
