// Rooms: create (direct, group), list, get, join by code, members and roles, join code, markers.

import type { Http } from "../http.js";
import { seg } from "../http.js";
import type { Id, Page, PageQuery, Room, RoomMember } from "../types.js";

export class RoomsApi {
  constructor(private readonly http: Http) {}

  /** The direct room with `userId` (created once; asking again returns the same room). */
  createDirect(userId: Id): Promise<Room> {
    return this.http.request("POST", "/v1/rooms", { body: { kind: "direct", member: userId } });
  }

  createGroup(name: string, members: Id[] = []): Promise<Room> {
    return this.http.request("POST", "/v1/rooms", { body: { kind: "group", name, members } });
  }

  /** The caller's rooms, most recent activity first. */
  list(q: PageQuery = {}): Promise<Page<Room>> {
    return this.http.request("GET", "/v1/rooms", { query: { limit: q.limit, cursor: q.cursor } });
  }

  /** Every room, page after page. */
  async *all(pageSize = 100): AsyncGenerator<Room> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ limit: pageSize, cursor });
      yield* page.items;
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
  }

  get(roomId: Id): Promise<Room> {
    return this.http.request("GET", `/v1/rooms/${seg(roomId)}`);
  }

  /** A page of the room's members by user id (a room object carries only the first few). */
  members(roomId: Id, q: PageQuery = {}): Promise<Page<RoomMember>> {
    return this.http.request("GET", `/v1/rooms/${seg(roomId)}/members`, { query: { limit: q.limit, cursor: q.cursor } });
  }

  /** Every member of the room, page after page. */
  async *allMembers(roomId: Id, pageSize = 100): AsyncGenerator<RoomMember> {
    let cursor: string | undefined;
    do {
      const page = await this.members(roomId, { limit: pageSize, cursor });
      yield* page.items;
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
  }

  join(code: string): Promise<Room> {
    return this.http.request("POST", "/v1/rooms/join", { body: { code } });
  }

  /** Owner/admin only. */
  addMember(roomId: Id, userId: Id): Promise<void> {
    return this.http.request("POST", `/v1/rooms/${seg(roomId)}/members`, { body: { user_id: userId } });
  }

  /** Yourself (leave), or anyone as owner/admin. */
  removeMember(roomId: Id, userId: Id): Promise<void> {
    return this.http.request("DELETE", `/v1/rooms/${seg(roomId)}/members/${seg(userId)}`);
  }

  leave(roomId: Id, myUserId: Id): Promise<void> {
    return this.removeMember(roomId, myUserId);
  }

  /** Owner only. */
  setRole(roomId: Id, userId: Id, role: "admin" | "member"): Promise<void> {
    return this.http.request("PATCH", `/v1/rooms/${seg(roomId)}/members/${seg(userId)}`, { body: { role } });
  }

  /** A new join code (owner/admin; the old one stops working). */
  regenerateCode(roomId: Id): Promise<Room> {
    return this.http.request("POST", `/v1/rooms/${seg(roomId)}/code`);
  }

  /** Moves the caller's read marker to `seq` (never backwards). */
  markRead(roomId: Id, seq: number): Promise<void> {
    return this.http.request("POST", `/v1/rooms/${seg(roomId)}/read`, { body: { seq } });
  }

  /** Moves the caller's delivered marker to `seq` (never backwards). */
  markDelivered(roomId: Id, seq: number): Promise<void> {
    return this.http.request("POST", `/v1/rooms/${seg(roomId)}/delivered`, { body: { seq } });
  }
}
