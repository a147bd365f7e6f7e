ALTER TABLE users DROP COLUMN group_add_privacy;
