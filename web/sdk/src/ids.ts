// client_id values for idempotent sends: unique per client, 1..64 of [A-Za-z0-9._:-].

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

let counter = 0;

function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(buf);
  else for (let i = 0; i < bytes; i++) buf[i] = Math.floor(Math.random() * 256); // Node 18 has no global crypto
  let s = "";
  for (const b of buf) s += b.toString(16).padStart(2, "0");
  return s;
}

/** A new client_id: time (base 36), 64 random bits and a per-process counter, e.g. `lq2x9k0a-9f1c…-1`. */
export function newClientId(now: number = Date.now()): string {
  counter = (counter + 1) % 0x100000;
  return `${now.toString(36)}-${randomHex(8)}-${counter.toString(36)}`;
}
