-- The build cache: which image a build step produced, by the step's cache key (the sha256 of the
-- parent image, the instruction, the build arguments in scope and the content checksum of what the
-- step reads). A row goes with its image (ON DELETE CASCADE), so a hit always names an image that
-- is there. last_used lets `builder prune` and the cache keep what builds still use.
--
--   build_cache(key → image)   one row per step result
CREATE TABLE build_cache (
    key         TEXT PRIMARY KEY,
    image_id    TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    created     INTEGER NOT NULL,
    last_used   INTEGER NOT NULL
);
CREATE INDEX build_cache_image ON build_cache(image_id);
