/* migrate.c — see migrate.h. */
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "jobtypes/jobtypes.h"
#include "util.h"

static const char bootstrap[] =
	"CREATE SCHEMA IF NOT EXISTS jobdeck;"
	"CREATE TABLE IF NOT EXISTS jobdeck.schema_migrations ("
	"  version integer PRIMARY KEY,"
	"  name text NOT NULL,"
	"  applied_at timestamptz NOT NULL DEFAULT now())";

int migrate_version(db *d)
{
	db_res *r;
	if (db_exec(d, "SELECT coalesce(max(version), 0) FROM jobdeck.schema_migrations", 0, NULL, &r) < 0)
		return 0;
	int v = (int)db_int(r, 0, 0);
	db_res_free(r);
	return v;
}

static int applied_already(db *d, int version, bool *yes)
{
	char v[16];
	snprintf(v, sizeof v, "%d", version);
	const char *p[] = { v };
	db_res *r;
	if (db_exec(d, "SELECT 1 FROM jobdeck.schema_migrations WHERE version = $1", 1, p, &r) < 0)
		return -1;
	*yes = db_rows(r) > 0;
	db_res_free(r);
	return 0;
}

int migrate_run(db *d, int *applied)
{
	*applied = 0;
	/* The lock is held for the session; a concurrent `migrate` waits, then finds nothing to do. */
	if (db_script(d, "SELECT pg_advisory_lock(7170001)") < 0)
		return -1;
	int rc = db_script(d, bootstrap);
	for (int i = 0; rc == 0 && i < nmigrations; i++) {
		const struct migration *m = &migrations[i];
		bool done;
		if ((rc = applied_already(d, m->version, &done)) < 0 || done)
			continue;
		if ((rc = db_script(d, "BEGIN")) < 0)
			break;
		rc = db_script(d, m->sql);
		if (rc == 0) {
			char v[16];
			snprintf(v, sizeof v, "%d", m->version);
			const char *p[] = { v, m->name };
			rc = db_exec(d, "INSERT INTO jobdeck.schema_migrations (version, name) VALUES ($1, $2)",
				     2, p, NULL);
		}
		if (rc == 0)
			rc = db_script(d, "COMMIT");
		if (rc < 0) {
			char msg[600];
			snprintf(msg, sizeof msg, "migration %s: %s", m->name, db_error(d));
			db_script(d, "ROLLBACK");
			db_set_error(d, DB_FAIL_QUERY, "%s", msg);
			break;
		}
		(*applied)++;
	}
	/* the job types' declared parameters, which submissions are checked against, follow
	 * the program: written whether or not a migration ran */
	if (rc == 0)
		rc = jobtypes_sync(d);
	db_script(d, "SELECT pg_advisory_unlock(7170001)");
	return rc;
}
