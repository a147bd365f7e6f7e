import { test } from "node:test";
import assert from "node:assert/strict";
import { CLIENT_ID_PATTERN, newClientId } from "../../src/ids.js";

test("client ids match the server's pattern and are unique", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = newClientId();
    assert.match(id, CLIENT_ID_PATTERN);
    assert.ok(id.length <= 64);
    seen.add(id);
  }
  assert.equal(seen.size, 20_000);
});

test("client ids are unique even at the same millisecond and without crypto", () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  try {
    Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
    const a = newClientId(1000);
    const b = newClientId(1000);
    assert.notEqual(a, b);
    assert.match(a, CLIENT_ID_PATTERN);
  } finally {
    if (saved) Object.defineProperty(globalThis, "crypto", saved);
    else delete (globalThis as { crypto?: unknown }).crypto;
  }
});

test("client ids start with the time, so they sort roughly by creation", () => {
  assert.ok(newClientId(1_700_000_000_000).startsWith((1_700_000_000_000).toString(36) + "-"));
});
