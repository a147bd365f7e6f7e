// Many real-time clients in one room, several of them sending, sockets cut at random: every
// client must see every seq exactly once, in order, and every send is acknowledged once.
// Knobs: PARLEY_SDK_CLIENTS (8), PARLEY_SDK_SENDERS (3), PARLEY_SDK_MESSAGES per sender (20),
// PARLEY_SDK_CUTS (15).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Ack, RealtimeClient } from "../../src/index.js";
import { envInt, newUser, skip, sleep, sockets, until } from "./support.js";

test("every client sees every seq once, in order, through random disconnects", { skip, timeout: 120_000 }, async () => {
  const clients = envInt("PARLEY_SDK_CLIENTS", 8);
  const senders = Math.min(clients, envInt("PARLEY_SDK_SENDERS", 3));
  const perSender = envInt("PARLEY_SDK_MESSAGES", 20);
  const cuts = envInt("PARLEY_SDK_CUTS", 15);

  const users = [];
  for (let i = 0; i < clients; i++) users.push(await newUser("fan"));
  const room = await users[0].client.rooms.createGroup("fan-out", users.slice(1).map((u) => u.id));

  const seen: number[][] = users.map(() => []);
  const rts: RealtimeClient[] = users.map((u, i) => {
    const rt = u.client.realtime();
    rt.on("event", (e) => {
      if (e.room === room.id) seen[i].push(e.seq);
    });
    rt.subscribe(room.id, { since: room.last_seq });
    rt.connect();
    return rt;
  });
  try {
    await until(() => rts.every((rt) => rt.state === "open"), 10_000, "all clients open");

    let sending = true;
    const chaos = (async () => {
      for (let c = 0; c < cuts && sending; c++) {
        await sleep(50 + Math.floor(Math.random() * 150));
        const open = sockets.filter((s) => s.readyState === 1);
        open[Math.floor(Math.random() * open.length)]?.terminate();
      }
    })();

    const acks: Ack[] = [];
    await Promise.all(
      rts.slice(0, senders).map(async (rt, s) => {
        for (let m = 0; m < perSender; m++) {
          acks.push(await rt.send(room.id, { body: `sender ${s} message ${m}` }, { timeoutMs: 30_000 }));
          if (m % 5 === 0) await sleep(Math.floor(Math.random() * 30));
        }
      }),
    );
    sending = false;
    await chaos;

    const total = senders * perSender;
    assert.equal(acks.length, total);
    assert.equal(new Set(acks.map((a) => a.seq)).size, total, "each ack has its own seq");
    assert.equal(new Set(acks.map((a) => a.id)).size, total, "each ack has its own message");

    const lastSeq = (await users[0].client.rooms.get(room.id)).last_seq;
    assert.equal(lastSeq, room.last_seq + total);
    await until(() => seen.every((s) => s[s.length - 1] === lastSeq), 30_000, "every client to reach the last seq");
    const expected = Array.from({ length: total }, (_, k) => room.last_seq + k + 1);
    seen.forEach((s, i) => assert.deepEqual(s, expected, `client ${i} saw each seq once and in order`));

    // The store holds each message once, however often a send was retried.
    const listed = [];
    let cursor: string | undefined;
    do {
      const page = await users[0].client.messages.list(room.id, { after: room.last_seq, limit: 100, cursor });
      listed.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    assert.equal(listed.length, total);
    assert.equal(new Set(listed.map((m) => m.client_id)).size, total);
  } finally {
    for (const u of users) u.client.dispose();
  }
});
