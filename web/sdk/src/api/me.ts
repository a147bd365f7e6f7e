// The caller's own account: read, change, erase, export.

import type { Http } from "../http.js";
import type { TokenManager } from "../token_manager.js";
import type { MeUpdate, User } from "../types.js";

export class MeApi {
  constructor(private readonly http: Http, private readonly tokens: TokenManager) {}

  get(): Promise<User> {
    return this.http.request("GET", "/v1/me");
  }

  update(patch: MeUpdate): Promise<User> {
    return this.http.request("PATCH", "/v1/me", { body: patch });
  }

  /** Erases the account (password, and `totp` when MFA is on); the tokens are forgotten. */
  async delete(password: string, totp?: string): Promise<void> {
    await this.http.request<void>("DELETE", "/v1/me", { body: totp === undefined ? { password } : { password, totp } });
    await this.tokens.signOut();
  }

  /** Everything the server holds about the caller (`format: "parley-export/1"`, one section per domain). */
  export(): Promise<Record<string, unknown>> {
    return this.http.request("GET", "/v1/me/export");
  }
}
