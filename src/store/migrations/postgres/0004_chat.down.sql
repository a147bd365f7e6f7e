DROP TRIGGER users_erased_leave_chat ON users;
DROP FUNCTION users_erased_leave_chat();
DROP TABLE message_views;
DROP TABLE room_events;
DROP TABLE messages;
DROP TABLE room_members;
DROP TABLE rooms;
