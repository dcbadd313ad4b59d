-- Where records are kept: containers (a box, a folder, a map drawer), each with a type and
-- a location, and the container each record is placed in; and a record's dates as written
-- ("1890-1895", "circa 1900"), for lists and labels. csv-import sets them; the report job
-- type lists them (file and item lists, storage locations, box labels).
--
-- Users read them as they read records; workers write them. No function is added.

SET LOCAL search_path = jobdeck, pg_catalog;

CREATE TABLE containers (
	id       bigserial PRIMARY KEY,
	name     text NOT NULL UNIQUE,
	type     text NOT NULL DEFAULT 'Box',
	location text NOT NULL DEFAULT ''
);

ALTER TABLE records ADD COLUMN container_id bigint REFERENCES containers(id) ON DELETE SET NULL;
ALTER TABLE records ADD COLUMN dates text NOT NULL DEFAULT '';
CREATE INDEX records_container ON records (container_id) WHERE container_id IS NOT NULL;

REVOKE ALL ON containers FROM PUBLIC;
REVOKE ALL ON SEQUENCE containers_id_seq FROM PUBLIC;
GRANT SELECT ON containers TO jobdeck_user;
GRANT SELECT, INSERT, UPDATE ON containers TO jobdeck_worker;
GRANT USAGE ON SEQUENCE containers_id_seq TO jobdeck_worker;
