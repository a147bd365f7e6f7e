// The busy / error / done state of one form. `run` clears the last error, runs the action, and
// shows what it threw: as the server's problem says it (describeError), or as `explain` puts it
// (null: show nothing, the caller handled it).

import { useState } from "preact/hooks";
import { describeError, type ShownError } from "../api/errors";

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(fn: () => Promise<string | null | void>, explain?: (err: unknown) => ShownError | null) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone((await fn()) ?? null);
    } catch (e) {
      setError(explain ? explain(e) : describeError(e));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, done, run, setDone, setError };
}
