import type { Db } from "../db/db.js";
import { csvLines, flatten } from "../web/csv.js";
import * as present from "./present.js";
import { allegationQuerySchema, complaintQuerySchema, officerQuerySchema, settlementQuerySchema } from "./schema.js";
import * as service from "./service.js";

export const EXPORT_TABLES = ["officers", "complaints", "allegations", "settlements", "agencies"] as const;
type ExportTable = (typeof EXPORT_TABLES)[number];

const PAGE = 500;

/**
 * Writes a whole table (or a search of it) page by page through the same
 * service and present steps as the API, so an export holds exactly what the
 * public may see, in constant memory. Returns the number of rows written.
 */
export async function exportRecords(
  db: Db, table: ExportTable, filters: Record<string, string | undefined>, format: "csv" | "json", write: (chunk: string) => void,
): Promise<number> {
  const pages = pagesOf(db, table, filters);
  let columns: string[] | null = null;
  let count = 0;
  if (format === "json") write("[\n");
  for await (const items of pages) {
    for (const item of items) {
      if (format === "json") {
        write(`${count ? ",\n" : ""}${JSON.stringify(item)}`);
      } else {
        const flat = flatten(item);
        if (!columns) {
          columns = Object.keys(flat);
          write(csvLines([columns]));
        }
        write(csvLines([columns.map((column) => flat[column] ?? "")]));
      }
      count += 1;
    }
  }
  if (format === "json") write("\n]\n");
  return count;
}

async function* pagesOf(db: Db, table: ExportTable, filters: Record<string, string | undefined>): AsyncGenerator<Record<string, unknown>[]> {
  if (table === "agencies") {
    yield (await service.listAgencies(db)).map(present.presentAgency);
    return;
  }
  for (let page = 1; ; page += 1) {
    const query = { ...filters, page, per_page: PAGE };
    const items = await pageOf(db, table, query);
    if (items.length) yield items;
    if (items.length < PAGE) return;
  }
}

async function pageOf(db: Db, table: Exclude<ExportTable, "agencies">, query: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  switch (table) {
    case "officers":
      return (await service.searchOfficers(db, officerQuerySchema.parse(query))).items.map(present.presentOfficerListItem);
    case "complaints":
      return (await service.searchComplaints(db, complaintQuerySchema.parse(query))).items.map(present.presentComplaintListItem);
    case "allegations":
      return (await service.listAllegations(db, allegationQuerySchema.parse(query))).items.map(present.presentAllegationListItem);
    case "settlements":
      return (await service.listSettlements(db, settlementQuerySchema.parse(query))).items.map(present.presentSettlementListItem);
  }
}
