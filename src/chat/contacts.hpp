#pragma once
// "Contacts" until contact lists exist (the social issue): two people who have both written in
// their direct room (each has at least one message there; opening the room is not enough).
// last_seen_privacy: contacts (presence.cpp) and group_add_privacy: contacts (rooms_service.cpp)
// mean this. Served by the keys of room_members and UNIQUE (sender_id, room_id, client_id).

// An SQL condition: users A and B (SQL expressions, e.g. "$1", "u.id") are contacts.
#define PARLEY_CHAT_ARE_CONTACTS(A, B)                                                                   \
  "EXISTS (SELECT 1 FROM room_members ca JOIN room_members cb ON cb.room_id = ca.room_id"               \
  " JOIN rooms cr ON cr.id = ca.room_id WHERE ca.user_id = " A " AND cb.user_id = " B                  \
  " AND cr.kind = 'direct' AND ca.user_id != cb.user_id"                                                \
  " AND EXISTS (SELECT 1 FROM messages cm WHERE cm.sender_id = " A " AND cm.room_id = cr.id)"          \
  " AND EXISTS (SELECT 1 FROM messages cn WHERE cn.sender_id = " B " AND cn.room_id = cr.id))"
