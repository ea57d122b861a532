-- One JSON document per function: $LATEST, versions, aliases, policies, tags, concurrency.
-- Control-plane writes are rare; the whole record is rewritten on each change.
CREATE TABLE function_record (
    name       TEXT PRIMARY KEY,
    document   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
