-- Rights statements on records, after PREMIS: on what basis (copyright, a licence, a statute,
-- a policy, a donor's agreement) an act (disseminate, replicate, migrate, modify, use, delete)
-- is granted or restricted, from when to when, with a note.
--
-- Users read them as they read records; only workers write them (csv-import sets them,
-- rights-inherit copies a record's statements to its descendants). No function is added: a
-- worker's own INSERT and DELETE are the whole interface, as for records.

SET LOCAL search_path = jobdeck, pg_catalog;

CREATE TYPE rights_basis AS ENUM ('copyright', 'license', 'statute', 'policy', 'donor');
CREATE TYPE rights_act AS ENUM ('disseminate', 'replicate', 'migrate', 'modify', 'use', 'delete');

CREATE TABLE rights (
	id         bigserial PRIMARY KEY,
	record_id  bigint NOT NULL REFERENCES records(id) ON DELETE CASCADE,
	basis      rights_basis NOT NULL,
	act        rights_act NOT NULL,
	granted    boolean NOT NULL,            -- true: the act is granted; false: restricted
	start_date date,                        -- NULL: from always
	end_date   date,                        -- NULL: open-ended
	note       text NOT NULL DEFAULT '',
	CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX rights_record ON rights (record_id);

REVOKE ALL ON rights FROM PUBLIC;
REVOKE ALL ON SEQUENCE rights_id_seq FROM PUBLIC;
GRANT SELECT ON rights TO jobdeck_user;
GRANT SELECT, INSERT, DELETE ON rights TO jobdeck_worker;
GRANT USAGE ON SEQUENCE rights_id_seq TO jobdeck_worker;
