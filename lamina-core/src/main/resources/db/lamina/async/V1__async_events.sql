-- The asynchronous invocation queue: one row per accepted event until its outcome is delivered.
-- stage INVOKE: waiting for (another) attempt at due_at; stage DELIVER: the function's outcome is
-- decided and `outcome` (JSON) holds what is still to be sent to destinations or the DLQ.
CREATE TABLE async_event (
    id             INTEGER PRIMARY KEY,
    request_id     TEXT    NOT NULL,
    function_name  TEXT    NOT NULL,
    qualifier      TEXT,
    payload        BLOB    NOT NULL,
    client_context TEXT,
    trace_id       TEXT,
    received_at    INTEGER NOT NULL,
    attempts       INTEGER NOT NULL,
    due_at         INTEGER NOT NULL,
    stage          TEXT    NOT NULL,
    outcome        TEXT
);
