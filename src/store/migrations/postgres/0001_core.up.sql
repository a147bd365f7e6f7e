-- Server metadata (instance id, settings written at run time).
CREATE TABLE kv (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The dialect layer's twin of SQLite's json_each over a list of ids (store/dialect.cpp rewrites
-- `json_each($n)` to this): '[1,2,3]' -> rows of bigint `value`.
CREATE FUNCTION parley_json_ids(ids TEXT) RETURNS TABLE (value BIGINT)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT e::BIGINT FROM json_array_elements_text(ids::json) AS e $$;
