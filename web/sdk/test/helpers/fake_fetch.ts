// A fetch stand-in: records requests and answers from a handler.
import type { FetchLike } from "../../src/http.js";

export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (req: Seen) => { status: number; body?: unknown; headers?: Record<string, string> } | Error;

export function fakeFetch(handler: Handler): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    const req: Seen = {
      method: init.method ?? "GET",
      url,
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    };
    seen.push(req);
    const out = handler(req);
    if (out instanceof Error) throw out;
    const text = out.body === undefined ? "" : typeof out.body === "string" ? out.body : JSON.stringify(out.body);
    const isProblem = out.status >= 400;
    return new Response(out.status === 204 ? null : text, {
      status: out.status,
      headers: { "Content-Type": isProblem ? "application/problem+json" : "application/json", ...out.headers },
    });
  };
  return { fetch, seen };
}

export const pair = (n: number, expiresIn = 900) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  token_type: "Bearer" as const,
  expires_in: expiresIn,
});

export const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({
  status,
  body: { type: "about:blank", title: code, status, code, detail: code, ...extra },
});
