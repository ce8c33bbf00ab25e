import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "./context.js";
import { Layout } from "./layout.js";

/** Renders a page inside the shared layout with the request's language and actor. */
export function renderPage(c: Context<AppEnv>, title: string, body: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 = 200) {
  const url = new URL(c.req.url);
  return c.html(
    "<!doctype html>" +
      String(
        <Layout
          t={c.get("t")}
          lang={c.get("lang")}
          title={title}
          actor={c.get("actor") ?? { kind: "public" }}
          demo={c.get("deps").demo}
          csrfToken={c.get("csrfToken") ?? ""}
          path={url.pathname + url.search}
        >
          {body}
        </Layout>,
      ),
    status,
  );
}
