-- Aligns a names table adopted from the original app (serial id, varchar name, timestamp without time
-- zone) with the current schema. Every step checks the current type first, so on a table created by V1
-- this migration changes nothing.
DO $$
BEGIN
    IF (SELECT data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'names' AND column_name = 'id') = 'integer' THEN
        ALTER TABLE names ALTER COLUMN id TYPE bigint;
    END IF;
    IF (SELECT data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'names' AND column_name = 'name') <> 'text' THEN
        ALTER TABLE names ALTER COLUMN name TYPE text;
    END IF;
    -- The original app stored UTC wall-clock times without a zone.
    IF (SELECT data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'names' AND column_name = 'created_at')
        = 'timestamp without time zone' THEN
        ALTER TABLE names ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE 'UTC';
    END IF;
    UPDATE names SET created_at = now() WHERE created_at IS NULL;
    ALTER TABLE names ALTER COLUMN created_at SET DEFAULT now();
    ALTER TABLE names ALTER COLUMN created_at SET NOT NULL;
    ALTER TABLE names ALTER COLUMN name SET NOT NULL;
END
$$;
