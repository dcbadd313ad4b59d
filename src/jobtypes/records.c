/* records.c — jobs that change records: publication status and moves.
 *
 *   publication-status  --object ID --param status=Published|Draft [--param descendants=1]
 *   move                --object ID --param parent=ID|IDENTIFIER
 *
 * Each is one statement, so a job either changes everything it reports or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jobtypes/jobtypes.h"

int jobtype_publication_status(job_ctx *j)
{
	const char *sv = job_param(j, "status");
	const char *status = NULL;
	if (sv && strcasecmp(sv, "published") == 0)
		status = "Published";
	else if (sv && strcasecmp(sv, "draft") == 0)
		status = "Draft";
	if (!status)
		return job_fail(j, "status must be Published or Draft, not '%s'", sv ? sv : "");
	bool all = job_flag(j, "descendants");
	char *ident, *title;
	if (job_record(j, j->job->object_id, &ident, &title) < 0)
		return -1;
	const char *p[] = { DB_INT(j->job->object_id), status, all ? "t" : "f" };
	db_res *r;
	int rc = -1;
	/* one row per record changed, or one with no identifier when none was; each with how
	 * many the job concerned */
	if (db_exec(j->d,
		    JOBTYPES_TREE("$3::boolean") ","
		    " u AS (UPDATE jobdeck.records SET publication_status = $2"
		    "        WHERE id IN (SELECT id FROM t) AND publication_status <> $2"
		    "        RETURNING identifier)"
		    "SELECT c.n, u.identifier FROM (SELECT count(*) AS n FROM t) c LEFT JOIN u ON true"
		    " ORDER BY u.identifier",
		    3, p, &r) < 0) {
		job_fail(j, "Could not update %s: %s", ident, db_error(j->d));
		goto out;
	}
	int64_t total = db_int(r, 0, 0), changed = 0;
	for (int i = 0; i < db_rows(r); i++)
		if (!db_isnull(r, i, 1)) {
			job_printf(j, "%s: %s\n", db_get(r, i, 1), status);
			changed++;
		}
	db_res_free(r);
	job_note(j, "Set %lld of %lld record%s to %s (%s%s); %lld already %s", (long long)changed,
		 (long long)total, total == 1 ? "" : "s", status, ident, all ? " and its descendants" : "",
		 (long long)(total - changed), status);
	job_printf(j, "%s\n", j->note.buf);
	rc = 0;
out:
	free(ident);
	free(title);
	return rc;
}

int jobtype_move(job_ctx *j)
{
	const char *pv = job_param(j, "parent");
	if (!pv || !*pv)
		return job_fail(j, "No new parent: move needs --param parent=ID or IDENTIFIER");
	char *ident, *title;
	if (job_record(j, j->job->object_id, &ident, &title) < 0)
		return -1;
	int rc = -1;
	db_res *r = NULL;
	const char *q[] = { pv };
	if (db_exec(j->d,
		    "SELECT id, identifier, title FROM jobdeck.records"
		    " WHERE identifier = $1 OR ($1 ~ '^[0-9]{1,18}$' AND id = $1::bigint)"
		    " ORDER BY identifier = $1 DESC LIMIT 1",
		    1, q, &r) < 0) {
		job_fail(j, "Could not find the new parent: %s", db_error(j->d));
		goto out;
	}
	if (db_rows(r) == 0) {
		job_fail(j, "The new parent %s does not exist", pv);
		db_res_free(r);
		goto out;
	}
	char pid[24];
	snprintf(pid, sizeof pid, "%s", db_get(r, 0, 0));
	char *pident = db_dup(r, 0, 1), *ptitle = db_dup(r, 0, 2);
	db_res_free(r);
	r = NULL;
	const char *p[] = { DB_INT(j->job->object_id), pid };
	/* the new parent's ancestors, itself included: moving under any of them would make a
	 * cycle when the record is among them */
	if (db_exec(j->d,
		    "WITH RECURSIVE up AS ("
		    "  SELECT id, parent_id, ARRAY[id] AS path FROM jobdeck.records WHERE id = $2::bigint"
		    "  UNION ALL"
		    "  SELECT r.id, r.parent_id, up.path || r.id FROM jobdeck.records r JOIN up ON r.id = up.parent_id"
		    "   WHERE r.id <> ALL (up.path)),"
		    " m AS (UPDATE jobdeck.records SET parent_id = $2::bigint"
		    "        WHERE id = $1::bigint AND NOT EXISTS (SELECT 1 FROM up WHERE up.id = $1::bigint)"
		    "        RETURNING id)"
		    "SELECT EXISTS (SELECT 1 FROM m)",
		    2, p, &r) < 0) {
		job_fail(j, "Could not move %s: %s", ident, db_error(j->d));
	} else if (strcmp(db_get(r, 0, 0), "t") != 0) {
		if (j->job->object_id == parse_count(pid))
			job_fail(j, "Refused: %s cannot be moved under itself", ident);
		else
			job_fail(j, "Refused: %s is a descendant of %s; the move would make a cycle", pident, ident);
	} else {
		job_note(j, "Moved %s (%s) under %s (%s)", ident, title, pident, ptitle);
		job_printf(j, "%s\n", j->note.buf);
		rc = 0;
	}
	db_res_free(r);
	free(pident);
	free(ptitle);
out:
	free(ident);
	free(title);
	return rc;
}
