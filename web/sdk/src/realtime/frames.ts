// The WebSocket frames of /v1/ws (JSON text frames), as the API contract defines them.

import type { Id, Message, SendOptions } from "../types.js";

// client → server
export type ClientFrame =
  | { op: "auth"; token: string }
  | { op: "sub"; rooms: Array<{ room: Id; since: number }> }
  | { op: "unsub"; rooms: Id[] }
  | ({ op: "send"; room: Id; client_id: string } & SendOptions)
  | { op: "typing"; room: Id }
  | { op: "read"; room: Id; seq: number }
  | { op: "delivered"; room: Id; seq: number }
  | { op: "ping"; id: string };

// server → client
export interface ReadyFrame { t: "ready"; user_id: Id; session_id: Id }
export interface RoomEventFrame<T extends "msg" | "edit" | "delete" = "msg" | "edit" | "delete"> {
  t: T;
  room: Id;
  seq: number;
  message: Message;
}
export interface AckFrame { t: "ack"; client_id: string; seq: number; id: Id }
export interface TypingFrame { t: "typing"; room: Id; user_id: Id }
export interface ReadFrame { t: "read"; room: Id; user_id: Id; seq: number }
export interface DeliveredFrame { t: "delivered"; room: Id; user_id: Id; seq: number }
export interface PresenceFrame { t: "presence"; user_id: Id; online: boolean; last_seen?: string | null }
/** The server ended a subscription (`removed`: the user left the room or was removed from it). */
export interface UnsubscribedFrame { t: "unsubscribed"; room: Id; reason: string }
/** To the user: they became a member of `room` (opened with them, made with them, added, joined). */
export interface AddedFrame { t: "added"; room: Id; by: Id }
export interface ErrorFrame { t: "error"; code: string; detail?: string; ref?: string; room?: Id; client_id?: string; fields?: Record<string, string> }
export interface PongFrame { t: "pong"; id?: string }
/** The answer to a fresh token on the open socket; `expires_at`: its exp (Unix seconds). */
export interface AuthedFrame { t: "authed"; user_id: Id; session_id: Id; expires_at: number }

export type ServerFrame =
  | ReadyFrame
  | RoomEventFrame
  | AckFrame
  | TypingFrame
  | ReadFrame
  | DeliveredFrame
  | PresenceFrame
  | AddedFrame
  | UnsubscribedFrame
  | ErrorFrame
  | PongFrame
  | AuthedFrame;

/** Parses a text frame; null for anything that is not a JSON object with a string `t`. */
export function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== "string") return null;
  try {
    const v: unknown = JSON.parse(data);
    if (typeof v === "object" && v !== null && typeof (v as { t?: unknown }).t === "string") return v as ServerFrame;
  } catch {
    // not JSON
  }
  return null;
}

/** Close codes of /v1/ws. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001, // server draining
  abnormal: 1006, // no close frame (network)
  tooSlow: 4008,
  rateLimited: 4029,
  unauthenticated: 4401,
  forbidden: 4403,
  /** Used by the SDK when it drops a socket it considers dead (heartbeat, ready timeout). */
  clientDead: 4000,
} as const;
