import { loadConfig, type Config } from "../config.js";
import { connect } from "../db/connect.js";
import { openDataKey } from "../db/data-key.js";
import type { Db } from "../db/db.js";
import { migrate } from "../db/migrate.js";

export interface DataDirOption {
  dataDir?: string;
}

/** Opens and migrates the database every command works on; DATABASE_URL selects PostgreSQL. */
export async function openDatabase(options: DataDirOption): Promise<{ db: Db; config: Config }> {
  const config = loadConfig({ dataDir: options.dataDir });
  const db = await connect({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  await migrate(db);
  try {
    await openDataKey(db, config.dataDir);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, config };
}

export const DATA_DIR_HELP = "PGlite data directory (default ./data or $OVERSIGHT_DATA_DIR; ignored when DATABASE_URL is set)";
