// ParleyError: every failure the SDK reports, built from an RFC 9457 problem+json body when the
// server sent one. `code` is the stable machine-readable code (see the API contract).

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  fields?: Record<string, string>;
  [key: string]: unknown;
}

export class ParleyError extends Error {
  /** HTTP status; 0 for failures without an HTTP answer (network, timeout, closed client). */
  readonly status: number;
  /** Stable code: a server problem code, or one of the SDK's own (`network_error`, `timeout`, `closed`, `bad_response`, `http_<status>`). */
  readonly code: string;
  readonly detail: string | undefined;
  /** Per-field messages of a 422 `validation_failed`. */
  readonly fields: Record<string, string>;
  /** Seconds to wait before trying again (from `Retry-After`), when the server said so. */
  readonly retryAfter: number | undefined;
  /** The whole problem object as received (or built). */
  readonly problem: Problem;
  /** The `X-Request-Id` of the failed request, for support and logs. */
  readonly requestId: string | undefined;

  constructor(problem: Problem, opts: { retryAfter?: number; requestId?: string; cause?: unknown } = {}) {
    const status = typeof problem.status === "number" ? problem.status : 0;
    const code = typeof problem.code === "string" && problem.code !== "" ? problem.code : status ? `http_${status}` : "network_error";
    super(problem.detail || problem.title || code);
    this.name = "ParleyError";
    this.status = status;
    this.code = code;
    this.detail = typeof problem.detail === "string" ? problem.detail : undefined;
    this.fields = isStringRecord(problem.fields) ? problem.fields : {};
    this.retryAfter = opts.retryAfter;
    this.problem = problem;
    this.requestId = opts.requestId;
    if (opts.cause !== undefined) (this as { cause?: unknown }).cause = opts.cause;
  }

  /** An SDK-side failure that never reached an HTTP answer. */
  static local(code: string, detail: string, cause?: unknown): ParleyError {
    return new ParleyError({ status: 0, code, detail }, { cause });
  }
}

function isStringRecord(v: unknown): v is Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  return Object.values(v).every((x) => typeof x === "string");
}

/**
 * Parses `Retry-After` (delay-seconds or an HTTP date) into seconds from `now` (ms since epoch).
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Builds the ParleyError for a failed HTTP answer from its status, a header getter and its body
 * text. A body that is not a JSON object still gives an error with code `http_<status>`.
 */
export function problemFromResponse(
  status: number,
  header: (name: string) => string | null,
  bodyText: string,
  now: number = Date.now(),
): ParleyError {
  let problem: Problem = {};
  if (bodyText !== "") {
    try {
      const parsed: unknown = JSON.parse(bodyText);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) problem = parsed as Problem;
    } catch {
      problem = { detail: bodyText.slice(0, 200) };
    }
  }
  problem.status = status; // the status line is the truth, whatever the body says
  return new ParleyError(problem, {
    retryAfter: parseRetryAfter(header("Retry-After"), now),
    requestId: header("X-Request-Id") ?? undefined,
  });
}
