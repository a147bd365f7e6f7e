// A ParleyError (problem+json) as words for people: the code → a message in the current
// language (the server's `detail` when the code is unknown), and the per-field messages.

import { ParleyError } from "@parley/sdk";
import { hasKey, t } from "../i18n";

export interface ShownError {
  message: string;
  fields: Record<string, string>;
  requestId?: string;
}

export function describeError(e: unknown): ShownError {
  if (!(e instanceof ParleyError)) {
    return { message: t("err.generic"), fields: {} };
  }
  let message: string;
  if (e.code === "rate_limited") {
    message = e.retryAfter !== undefined ? t("err.rate_limited", { seconds: e.retryAfter }) : t("err.rate_limited_soon");
  } else {
    const key = `err.${e.code}`;
    if (hasKey(key)) message = t(key);
    else if (e.detail) message = e.detail;
    else if (e.status >= 500) message = t("err.internal");
    else message = t("err.generic");
  }
  // A validation error with one field is clearer with the field's own words.
  if (e.code === "validation_failed" && Object.keys(e.fields).length === 0 && e.detail) message = e.detail;
  return { message, fields: e.fields, requestId: e.status >= 500 ? e.requestId : undefined };
}

export function errorText(e: unknown): string {
  const d = describeError(e);
  const fields = Object.entries(d.fields).map(([k, v]) => `${k}: ${v}`);
  return [d.message, ...fields].join(" · ");
}

export function isCode(e: unknown, code: string): boolean {
  return e instanceof ParleyError && e.code === code;
}
