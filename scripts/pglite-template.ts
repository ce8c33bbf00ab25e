/**
 * Makes the migrated, empty PGlite template (src/db/pglite-template.ts) if the
 * current migrations have none yet. Run by `npm install` (postinstall) and by
 * `npm test`; never fails the install: without a template, new embedded
 * databases are created the slow way.
 */
import { ensureTemplate } from "../src/db/pglite-template.js";

const started = performance.now();
try {
  const { path, made } = await ensureTemplate();
  if (made) console.log(`Made the PGlite template ${path} in ${Math.round(performance.now() - started)} ms`);
} catch (error) {
  console.warn(`No PGlite template (new databases will be created without it): ${error instanceof Error ? error.message : String(error)}`);
}
