-- One JSON document per event source mapping (EventSourceMapping), keyed by its UUID.
-- Like function_record: control-plane writes are rare, the whole document is rewritten on change.
CREATE TABLE event_source_mapping (
    uuid       TEXT PRIMARY KEY,
    document   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
