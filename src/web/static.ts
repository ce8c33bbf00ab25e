import { readFileSync } from "node:fs";
import { Hono } from "hono";

const STATIC_DIR = new URL("./static/", import.meta.url);
const FILES: Record<string, string> = { "app.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml" };

/** Serves the few static assets, read once at start. */
export function staticRoutes(): Hono {
  const app = new Hono();
  const bodies = new Map(Object.keys(FILES).map((name) => [name, readFileSync(new URL(name, STATIC_DIR))]));
  app.get("/favicon.ico", (c) => c.redirect("/static/favicon.svg", 301));
  app.get("/static/:name", (c) => {
    const name = c.req.param("name");
    const body = bodies.get(name);
    if (!body) return c.notFound();
    return c.body(body, 200, { "Content-Type": FILES[name], "Cache-Control": "public, max-age=3600" });
  });
  return app;
}
