-- Dead letters keep at most DEAD_LETTER_PAYLOAD_KB of a payload: its full size is kept beside it.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS payload_bytes integer;
UPDATE dead_letters SET payload_bytes = length(payload) WHERE payload_bytes IS NULL;
ALTER TABLE dead_letters ALTER COLUMN payload_bytes SET NOT NULL;
