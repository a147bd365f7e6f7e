DROP FUNCTION parley_json_ids(TEXT);
DROP TABLE kv;
