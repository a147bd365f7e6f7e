// The busy / error / done state of one settings form.

import { useState } from "preact/hooks";
import { describeError, type ShownError } from "../api/errors";

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(fn: () => Promise<string | null | void>) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone((await fn()) ?? null);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, done, run, setDone };
}
