// Development servers (--dev) keep mail in an outbox at /dev/outbox instead of sending it; the
// app shows an outbox page only when that answers.

import { signal } from "@preact/signals";

export interface OutboxMail {
  id: string;
  to: string;
  from: string;
  subject: string;
  created_at: string;
  links: string[];
  text?: string;
  html?: string;
}

export const devOutbox = signal<boolean>(false);

export async function probeDevOutbox(): Promise<void> {
  try {
    const res = await fetch("/dev/outbox", { headers: { Accept: "application/json" } });
    devOutbox.value = res.ok && (res.headers.get("Content-Type") ?? "").includes("json");
  } catch {
    devOutbox.value = false;
  }
}

export async function listOutbox(): Promise<OutboxMail[]> {
  const res = await fetch("/dev/outbox", { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`GET /dev/outbox: ${res.status}`);
  return ((await res.json()) as { items: OutboxMail[] }).items;
}

export async function getMail(id: string): Promise<OutboxMail> {
  const res = await fetch(`/dev/outbox/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`GET /dev/outbox/${id}: ${res.status}`);
  return (await res.json()) as OutboxMail;
}

/** A mailed link as an in-app path (the mail names the server's public URL). */
export function inAppPath(link: string): string {
  try {
    const u = new URL(link);
    return u.pathname + u.search;
  } catch {
    return link;
  }
}
