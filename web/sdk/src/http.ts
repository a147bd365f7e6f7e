// One JSON request to the Parley HTTP API: the bearer token, problem+json errors, and one retry
// after refreshing the access token when the server answers 401.

import { ParleyError, problemFromResponse } from "./errors.js";
import type { TokenManager } from "./token_manager.js";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Send the bearer token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  let url = baseUrl.replace(/\/+$/, "") + path;
  if (query) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null) continue;
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    }
    if (parts.length) url += (url.includes("?") ? "&" : "?") + parts.join("&");
  }
  return url;
}

/** Encodes one path segment (ids, user ids). */
export const seg = (s: string | number): string => encodeURIComponent(String(s));

export class Http {
  constructor(
    readonly baseUrl: string,
    private readonly tokens: TokenManager,
    private readonly fetchImpl: FetchLike,
  ) {}

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const auth = opts.auth ?? true;
    const token = auth ? await this.tokens.accessToken() : null;
    try {
      return await this.once<T>(method, path, opts, token);
    } catch (e) {
      if (!(e instanceof ParleyError) || e.status !== 401 || token === null) throw e;
      // The access token was refused (expired early, keys rotated, clock skew): refresh once.
      let fresh: string;
      try {
        fresh = (await this.tokens.refresh(token)).accessToken;
      } catch {
        throw e; // the refresh failed too: report the original refusal
      }
      return this.once<T>(method, path, opts, fresh);
    }
  }

  private async once<T>(method: string, path: string, opts: RequestOptions, token: string | null): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(opts.body);
    }
    if (opts.signal) init.signal = opts.signal;
    let res: Response;
    try {
      res = await this.fetchImpl(buildUrl(this.baseUrl, path, opts.query), init);
    } catch (e) {
      if (isAbort(e)) throw ParleyError.local("aborted", "the request was aborted", e);
      throw ParleyError.local("network_error", `${method} ${path}: ${(e as Error)?.message ?? e}`, e);
    }
    const text = await res.text();
    if (!res.ok) throw problemFromResponse(res.status, (n) => res.headers.get(n), text);
    if (res.status === 204 || text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw ParleyError.local("bad_response", `${method} ${path}: the answer is not JSON`, e);
    }
  }
}

function isAbort(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { name?: string }).name === "AbortError";
}
