// Who is signed in: the account (me), and the sign-in state the app's screens follow.

import { signal } from "@preact/signals";
import { ParleyError, type User } from "@parley/sdk";
import { parley } from "../api/client";

export type AuthState = "loading" | "signedOut" | "signedIn" | "unreachable";

export const me = signal<User | null>(null);
export const authState = signal<AuthState>("loading");

type Hook = () => void;
const onSignIn: Hook[] = [];
const onSignOut: Hook[] = [];

/** Registers what starts after a sign-in (the chat) and what is cleared at sign-out. */
export function sessionHooks(start: Hook, stop: Hook): void {
  onSignIn.push(start);
  onSignOut.push(stop);
}

parley.onTokens((_tokens, change) => {
  if (change === "signout" && authState.value !== "signedOut") {
    me.value = null;
    authState.value = "signedOut";
    for (const f of onSignOut) f();
  }
});

/** At page load: tokens from an earlier visit → the account; none (or refused) → signed out. */
export async function bootstrap(): Promise<void> {
  authState.value = "loading";
  if (!(await parley.restore())) {
    authState.value = "signedOut";
    return;
  }
  try {
    const user = await parley.me.get();
    signedIn(user);
  } catch (e) {
    if (e instanceof ParleyError && (e.status === 401 || e.status === 403)) {
      await parley.auth.logout().catch(() => undefined);
      authState.value = "signedOut";
    } else {
      authState.value = "unreachable";
    }
  }
}

export function signedIn(user: User): void {
  me.value = user;
  if (authState.value === "signedIn") return;
  authState.value = "signedIn";
  for (const f of onSignIn) f();
}

export async function signOut(): Promise<void> {
  await parley.auth.logout().catch(() => undefined);
}

export async function reloadMe(): Promise<void> {
  me.value = await parley.me.get();
}
