import { test } from "node:test";
import assert from "node:assert/strict";
import { ParleyError, parseRetryAfter, problemFromResponse } from "../../src/errors.js";

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

test("a validation problem carries status, code, detail and fields", () => {
  const body = JSON.stringify({
    type: "about:blank",
    title: "Unprocessable",
    status: 422,
    code: "validation_failed",
    detail: "2 fields are invalid",
    fields: { email: "not an email address", password: "8 to 128 characters" },
  });
  const e = problemFromResponse(422, headers({ "X-Request-Id": "abc" }), body);
  assert.ok(e instanceof ParleyError && e instanceof Error);
  assert.equal(e.name, "ParleyError");
  assert.equal(e.status, 422);
  assert.equal(e.code, "validation_failed");
  assert.equal(e.detail, "2 fields are invalid");
  assert.equal(e.message, "2 fields are invalid");
  assert.deepEqual(e.fields, { email: "not an email address", password: "8 to 128 characters" });
  assert.equal(e.requestId, "abc");
  assert.equal(e.retryAfter, undefined);
  assert.equal(e.problem.title, "Unprocessable");
});

test("429 reads Retry-After in seconds or as an HTTP date", () => {
  const e = problemFromResponse(429, headers({ "Retry-After": "42" }), '{"status":429,"code":"rate_limited"}');
  assert.equal(e.code, "rate_limited");
  assert.equal(e.retryAfter, 42);
  const now = Date.parse("2025-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("Wed, 01 Jan 2025 00:01:30 GMT", now), 90);
  assert.equal(parseRetryAfter("Tue, 31 Dec 2024 00:00:00 GMT", now), 0);
  assert.equal(parseRetryAfter("soon", now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

test("a body that is not problem JSON still gives a usable error", () => {
  const html = problemFromResponse(502, headers({}), "<html>Bad gateway</html>");
  assert.equal(html.status, 502);
  assert.equal(html.code, "http_502");
  assert.match(html.message, /Bad gateway/);
  const empty = problemFromResponse(500, headers({}), "");
  assert.equal(empty.code, "http_500");
  const array = problemFromResponse(400, headers({}), "[1,2]");
  assert.equal(array.code, "http_400");
  assert.deepEqual(array.fields, {});
});

test("the status line wins over the body; malformed fields are ignored", () => {
  const e = problemFromResponse(401, headers({}), '{"status":200,"code":"invalid_token","fields":{"a":1}}');
  assert.equal(e.status, 401);
  assert.equal(e.code, "invalid_token");
  assert.deepEqual(e.fields, {});
});

test("local errors have status 0", () => {
  const e = ParleyError.local("network_error", "offline");
  assert.equal(e.status, 0);
  assert.equal(e.code, "network_error");
  assert.equal(e.message, "offline");
});
