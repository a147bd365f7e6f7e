DROP TABLE signing_keys_state;
DROP TABLE signing_keys;
