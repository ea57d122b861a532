-- HTTP APIs (apigatewayv2): one JSON document per resource, in the wire shape GetApi/GetRoute/... answer.
-- kind is api, route, integration, stage or authorizer; an API's own row has id = api_id.
-- Control-plane writes are rare; the data plane reads only the in-memory index built from these rows.
CREATE TABLE http_api_resource (
    api_id     TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    document   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (api_id, kind, id)
);
