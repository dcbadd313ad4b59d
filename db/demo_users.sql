-- The demonstration login roles, in their groups: admin (an administrator), alice and bob
-- (users) and worker (runs jobs). Idempotent. Part of `jobdeck demo-seed`; the tests and the
-- benchmark load it too, so the three agree on who is who.
DO $$
DECLARE
	u record;
BEGIN
	FOR u IN SELECT * FROM (VALUES ('admin', 'jobdeck_admin'), ('alice', 'jobdeck_user'),
	                              ('bob', 'jobdeck_user'), ('worker', 'jobdeck_worker')) v(name, grp)
	LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = u.name) THEN
			EXECUTE format('CREATE ROLE %I LOGIN', u.name);
		END IF;
		EXECUTE format('GRANT %I TO %I', u.grp, u.name);
	END LOOP;
END
$$;
