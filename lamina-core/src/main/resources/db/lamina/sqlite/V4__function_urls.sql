-- One JSON document per function URL configuration (UrlConfig), keyed by its url id.
-- Like function_record: control-plane writes are rare, the whole document is rewritten on change.
CREATE TABLE function_url_config (
    url_id     TEXT PRIMARY KEY,
    document   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
