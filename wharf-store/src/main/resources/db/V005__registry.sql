-- Registries (issue 11): what a pull keeps so that push and save give back the same digests.
--
--   layer_blobs(diff_id, digest)   a compressed form of a layer, kept in blobs/sha256/ (a pulled layer,
--                                  or one compressed for a push); media_type and size as a manifest
--                                  names it. Rows whose diff_id no layer has any more are garbage
--   image_manifests(image_id, digest)  the image manifest (blob) an image was pulled or pushed with
--   repo_digests(ref → image)      "repo@sha256:…" as RepoDigests show it; digest = the manifest or index
--                                  the registry knows the image by (blob)
--   blob_sources(digest, registry, repository)  where a blob is known to exist, for cross-repo mounts
CREATE TABLE layer_blobs (
    diff_id     TEXT NOT NULL,
    digest      TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    PRIMARY KEY (diff_id, digest)
);
CREATE INDEX layer_blobs_digest ON layer_blobs(digest);
CREATE TABLE image_manifests (
    image_id    TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    digest      TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    PRIMARY KEY (image_id, digest)
);
CREATE TABLE repo_digests (
    ref         TEXT PRIMARY KEY,
    image_id    TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    digest      TEXT NOT NULL
);
CREATE INDEX repo_digests_image ON repo_digests(image_id);
CREATE TABLE blob_sources (
    digest      TEXT NOT NULL,
    registry    TEXT NOT NULL,
    repository  TEXT NOT NULL,
    PRIMARY KEY (digest, registry, repository)
);
