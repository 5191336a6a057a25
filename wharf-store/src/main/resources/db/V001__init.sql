-- Wharf metadata, one SQLite file (wharf.db) in WAL mode with foreign keys on.
--
--   images(id)            one row per image; id = "sha256:<hex>" of its config blob
--     └─ image_layers     its layers bottom-up (idx 0 = base), by chain id
--   tags(ref → image)     familiar references ("busybox:latest")
--   layers(chain_id)      each unpacked layer once: layers/<chain hex>/ with a short link l/<short_id>
--   containers(id)        config (written once) and state (rewritten) as JSON, plus indexed columns
--   events(seq)           the event log that /events replays for ?since=
CREATE TABLE images (
    id          TEXT PRIMARY KEY,
    created     INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    parent      TEXT NOT NULL DEFAULT ''
);
CREATE TABLE layers (
    chain_id    TEXT PRIMARY KEY,
    diff_id     TEXT NOT NULL,
    parent      TEXT,
    short_id    TEXT NOT NULL UNIQUE,
    size        INTEGER NOT NULL
);
CREATE TABLE image_layers (
    image_id    TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    chain_id    TEXT NOT NULL REFERENCES layers(chain_id),
    PRIMARY KEY (image_id, idx)
);
CREATE TABLE tags (
    ref         TEXT PRIMARY KEY,
    image_id    TEXT NOT NULL REFERENCES images(id),
    tagged_at   INTEGER NOT NULL
);
CREATE INDEX tags_image ON tags(image_id);
CREATE TABLE containers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    image_id    TEXT NOT NULL REFERENCES images(id),
    created     INTEGER NOT NULL,
    config      TEXT NOT NULL,
    state       TEXT NOT NULL,
    status      TEXT NOT NULL
);
CREATE INDEX containers_image ON containers(image_id);
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    time_nano   INTEGER NOT NULL,
    json        TEXT NOT NULL
);
