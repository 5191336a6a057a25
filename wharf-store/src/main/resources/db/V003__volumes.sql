-- Volumes (issue 6).
--   volumes(name)                 one row per volume; its data lives in volumes/<name>/_data
--   volume_refs(volume, container) which containers mount which volume ("is it in use?")
CREATE TABLE volumes (
    name        TEXT PRIMARY KEY,
    driver      TEXT NOT NULL,
    labels      TEXT NOT NULL,
    options     TEXT NOT NULL,
    created     INTEGER NOT NULL,
    anonymous   INTEGER NOT NULL,
    populated   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE volume_refs (
    volume       TEXT NOT NULL REFERENCES volumes(name),
    container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    PRIMARY KEY (volume, container_id)
);
CREATE INDEX volume_refs_container ON volume_refs(container_id);
