// Idempotent sends: the same client_id over REST, over the WebSocket, across a cut socket and
// across both transports gives one message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newClientId } from "../../src/index.js";
import { newUser, skip, sockets, sleep } from "./support.js";

test("REST: a repeated client_id returns the original message", { skip }, async () => {
  const a = await newUser("dup");
  const b = await newUser("dup");
  const room = await a.client.rooms.createDirect(b.id);
  const client_id = newClientId();
  const first = await a.client.messages.send(room.id, { body: "once", client_id });
  const again = await a.client.messages.send(room.id, { body: "once", client_id });
  assert.equal(again.id, first.id);
  assert.equal(again.seq, first.seq);
  const page = await b.client.messages.list(room.id);
  assert.equal(page.items.filter((m) => m.client_id === client_id).length, 1);
  a.client.dispose();
  b.client.dispose();
});

test("WebSocket: a send retried after a cut socket, and again later, is one message", { skip, timeout: 60_000 }, async () => {
  const a = await newUser("dup");
  const b = await newUser("dup");
  const room = await a.client.rooms.createDirect(b.id);
  const rt = a.client.realtime();
  rt.connect();
  try {
    const clientId = newClientId();
    const pending = rt.send(room.id, { body: "through a cut" }, { clientId, timeoutMs: 30_000 });
    await sleep(1);
    sockets.filter((s) => s.readyState <= 1).forEach((s) => s.terminate()); // maybe before, maybe after the commit
    const ack = await pending;
    const again = await rt.send(room.id, { body: "through a cut" }, { clientId, timeoutMs: 30_000 });
    assert.deepEqual(again, ack);
    const viaRest = await a.client.messages.send(room.id, { body: "through a cut", client_id: clientId });
    assert.equal(viaRest.id, ack.id);
    const page = await b.client.messages.list(room.id);
    assert.equal(page.items.filter((m) => m.client_id === clientId).length, 1);
  } finally {
    a.client.dispose();
    b.client.dispose();
  }
});
