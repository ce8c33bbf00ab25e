#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the project needs no build step.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const child = spawn(process.execPath, ["--import", "tsx", main, ...process.argv.slice(2)], { stdio: "inherit" });
// A service manager stops this process: pass its signal on, so the server closes its database and lock.
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
