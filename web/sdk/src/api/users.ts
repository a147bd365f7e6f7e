// Other people's public profiles (never their email or settings): for names and avatars of the
// ids found in rooms and messages, and to find someone by username.

import type { Http } from "../http.js";
import type { Id, Page, User } from "../types.js";

export class UsersApi {
  constructor(private readonly http: Http) {}

  /** One user's public profile; an erased account answers with `deleted: true`. 404 `not_found` when unknown. */
  get(id: Id): Promise<User> {
    return this.http.request("GET", `/v1/users/${encodeURIComponent(id)}`);
  }

  /** The user with this username (case-insensitive, exact), or null. */
  async byUsername(username: string): Promise<User | null> {
    const page = await this.http.request<Page<User>>("GET", `/v1/users?username=${encodeURIComponent(username)}`);
    return page.items[0] ?? null;
  }

  /** The public profiles of up to 100 ids in one request (unknown ids are left out). */
  async list(ids: readonly Id[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const page = await this.http.request<Page<User>>("GET", `/v1/users?ids=${ids.map(encodeURIComponent).join(",")}`);
    return page.items;
  }
}
