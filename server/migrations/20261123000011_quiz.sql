-- The question bank: single choice, multiple choice and true/false questions, each with
-- its options, the indices of the right options, an explanation and tags.
CREATE TABLE questions (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false')),
    stem        TEXT NOT NULL CHECK (length(stem) BETWEEN 2 AND 500),
    options     TEXT[] NOT NULL CHECK (cardinality(options) BETWEEN 2 AND 6),
    answer      SMALLINT[] NOT NULL CHECK (cardinality(answer) >= 1),
    explanation TEXT NOT NULL DEFAULT '',
    tags        TEXT[] NOT NULL DEFAULT '{}',
    active      BOOLEAN NOT NULL DEFAULT true,
    import_id   BIGINT,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The same stem twice in the bank is a mistake the import reports.
CREATE UNIQUE INDEX questions_stem ON questions (md5(stem)) WHERE active;

CREATE TABLE question_imports (
    id         BIGSERIAL PRIMARY KEY,
    file_name  TEXT NOT NULL,
    rows       INT NOT NULL,
    by_user    BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Shared question sets: one weekly quiz per Asia/Shanghai week, and special quizzes
-- (专项答题) with an answering window and a time limit, optionally run as a knowledge
-- contest between the branches of their scope.
CREATE TABLE quiz_sets (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('weekly', 'special')),
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 80),
    week_key        TEXT UNIQUE,
    question_ids    BIGINT[] NOT NULL CHECK (cardinality(question_ids) >= 1),
    opens_at        TIMESTAMPTZ NOT NULL,
    closes_at       TIMESTAMPTZ NOT NULL CHECK (closes_at > opens_at),
    time_limit_secs INT CHECK (time_limit_secs BETWEEN 30 AND 7200),
    contest         BOOLEAN NOT NULL DEFAULT false,
    scope_org_id    BIGINT REFERENCES orgs (id),
    created_by      BIGINT REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'weekly') = (week_key IS NOT NULL))
);

-- One attempt per member and quiz: the daily quiz of a day (its questions drawn for that
-- member), a weekly or special set, or the questions after a micro-lesson. The unique key
-- makes a second start return the first attempt, and `submitted_at` makes a second submit
-- a conflict.
CREATE TABLE quiz_attempts (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL CHECK (kind IN ('daily', 'weekly', 'special', 'lesson')),
    quiz_key     TEXT NOT NULL,
    set_id       BIGINT REFERENCES quiz_sets (id),
    question_ids BIGINT[] NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    deadline_at  TIMESTAMPTZ,
    submitted_at TIMESTAMPTZ,
    correct      INT,
    total        INT NOT NULL,
    points       INT,
    UNIQUE (user_id, kind, quiz_key)
);
CREATE INDEX quiz_attempts_set ON quiz_attempts (set_id, correct DESC) WHERE submitted_at IS NOT NULL;

CREATE TABLE quiz_answers (
    attempt_id  BIGINT NOT NULL REFERENCES quiz_attempts (id),
    question_id BIGINT NOT NULL REFERENCES questions (id),
    chosen      SMALLINT[] NOT NULL,
    correct     BOOLEAN NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);

-- The wrong-answer book (错题本): every question a member got wrong, until they answer it
-- right on a retry.
CREATE TABLE wrong_answers (
    user_id       BIGINT NOT NULL REFERENCES users (id),
    question_id   BIGINT NOT NULL REFERENCES questions (id),
    times_wrong   INT NOT NULL DEFAULT 1,
    last_wrong_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    cleared_at    TIMESTAMPTZ,
    PRIMARY KEY (user_id, question_id)
);
CREATE INDEX wrong_answers_open ON wrong_answers (user_id, last_wrong_at DESC) WHERE cleared_at IS NULL;

-- The questions after a micro-lesson.
CREATE TABLE study_item_questions (
    item_id     BIGINT NOT NULL REFERENCES study_items (id),
    question_id BIGINT NOT NULL REFERENCES questions (id),
    position    INT NOT NULL,
    PRIMARY KEY (item_id, question_id)
);
