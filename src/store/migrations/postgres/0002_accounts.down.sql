DROP TABLE recovery_codes;
DROP TABLE mail_tokens;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;
