/**
 * Finds every *.test.ts under src/ and test/ and runs them with node's test
 * runner (Node 20's runner does not expand globs itself). Extra arguments narrow
 * the run to files whose path contains one of them.
 *
 *   tsx scripts/run-tests.ts            # everything
 *   tsx scripts/run-tests.ts audit e2e  # only matching files
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { ensureTemplate } from "../src/db/pglite-template.js";

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : findTests(path);
    return entry.name.endsWith(".test.ts") || entry.name.endsWith(".test.tsx") ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = ["src", "test"]
  .flatMap((root) => findTests(root))
  .map((file) => relative(process.cwd(), file))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

// Every test opens fresh databases: unpacking the migrated template is seconds faster than creating each one.
await ensureTemplate().catch((error: unknown) => console.warn(`no PGlite template: ${String(error)}`));

const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "test" },
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
