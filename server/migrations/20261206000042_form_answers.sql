-- What a server function answered to a form posted without the page's WebAssembly, kept
-- for the one page the browser is sent back to (a cookie holds the token). Read once and
-- deleted; rows older than an hour are cleared when new ones come.
CREATE TABLE form_answers (
    token text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    path text NOT NULL,
    output text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX form_answers_created_at ON form_answers (created_at);
