// Shapes of the public API (see the API contract). Ids are decimal strings; times are RFC 3339.

export type Id = string;

export interface User {
  id: Id;
  username: string | null;
  display_name: string;
  email?: string;
  email_verified?: boolean;
  bio?: string | null;
  avatar_file_id?: Id | null;
  created_at: string;
  role: "user" | "moderator" | "admin" | string;
  /** Only for the account's owner. */
  last_seen_privacy?: "everyone" | "contacts" | "nobody" | string;
  /** Only for the account's owner: who may add them to groups. */
  group_add_privacy?: "everyone" | "contacts" | "nobody" | string;
  /** Only on an erased account (GET /v1/users/{id}). */
  deleted?: boolean;
  [key: string]: unknown;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
  /**
   * Marks this device as known to the account: pass it as `device_token` at the next login to be
   * exempt from the per-IP and per-account failed-login limits. Browsers also get it as the
   * HttpOnly `parley_device` cookie, which they send by themselves.
   */
  device_token?: string;
}

export interface UserWithTokens extends TokenPair {
  user: User;
}

export interface SessionInfo {
  id: Id;
  created_at: string;
  last_used_at: string;
  user_agent: string;
  ip: string;
  current: boolean;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page (pass back as `cursor`), null at the end. */
  next: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export type RoomRole = "owner" | "admin" | "member";

export interface RoomMember {
  user_id: Id;
  role: RoomRole | string;
  read_seq?: number;
  delivered_seq?: number;
  /** Only in GET /v1/rooms/{id}/members (RoomsApi.members). */
  joined_at?: string;
}

export interface Room {
  id: Id;
  kind: "direct" | "group";
  name: string | null;
  code?: string;
  created_at: string;
  last_seq: number;
  last_activity_at?: string;
  /** How many members the room has. */
  member_count?: number;
  /** The first few members only (at most 10, always including you); all of them: RoomsApi.members / allMembers. */
  members: RoomMember[];
  unread: number;
  last_message: Message | null;
  [key: string]: unknown;
}

export interface Message {
  id: Id;
  room_id: Id;
  seq: number;
  sender_id: Id | null;
  client_id: string;
  body?: string;
  ciphertext?: string;
  iv?: string;
  reply_to: Id | null;
  attachments: Id[];
  view_once: boolean;
  /** View-once messages, for recipients: whether the caller already viewed it. */
  viewed?: boolean;
  created_at: string;
  edited_at: string | null;
  deleted: boolean;
  [key: string]: unknown;
}

/** What a message carries: exactly one of `body` or `ciphertext` + `iv`. */
export type MessageContent =
  | { body: string; ciphertext?: never; iv?: never }
  | { ciphertext: string; iv: string; body?: never };

export type SendOptions = MessageContent & {
  reply_to?: Id;
  attachments?: Id[];
  view_once?: boolean;
};

export interface MeUpdate {
  display_name?: string;
  bio?: string;
  username?: string;
  last_seen_privacy?: "everyone" | "contacts" | "nobody";
  /** Who may add you to groups ("contacts": people who have both written in a direct chat with you). */
  group_add_privacy?: "everyone" | "contacts" | "nobody";
}

export interface TotpEnrollment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}
