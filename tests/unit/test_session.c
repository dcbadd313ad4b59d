/* The dashboard's database session (src/session) against the real database (the harness's
 * PostgreSQL), in a database of its own: a session started as a user answers views (rows
 * around the selection, counts, the selected job's details and output), clear counts,
 * clears, cancels and exports; it hears NOTIFY, ends a silent command-line run by itself,
 * and reconnects when its connection is killed. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "migrate.h"
#include "session.h"

#define DBNAME "jd_unit_session"

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next result of the given kind (and sequence number, unless 0) within ms, polling
 * session_fd as a dashboard does; other results are dropped. NULL on timeout. */
static session_result *wait_for(session *s, session_kind kind, uint64_t seq, int ms)
{
	int64_t end = now_ms() + ms;
	for (;;) {
		session_result *r;
		while ((r = session_next(s))) {
			if (r->kind == kind && (!seq || r->seq == seq))
				return r;
			session_result_free(r);
		}
		int64_t left = end - now_ms();
		if (left <= 0)
			return NULL;
		struct pollfd p = { session_fd(s), POLLIN, 0 };
		poll(&p, 1, (int)left);
	}
}

/* A view of a tab from the top (mode and place may be changed by the caller). */
static session_view view_of(jobs_tab tab, int rows)
{
	session_view v = { tab, NULL, JOBS_SORT_START, false, SESSION_TOP, 0, NULL, rows, 0 };
	return v;
}

static session_result *ask_view(session *s, const session_view *v)
{
	return wait_for(s, SESSION_R_VIEW, session_view_request(s, v), 5000);
}

static int64_t sql_int(db *d, const char *sql)
{
	db_res *r;
	if (db_exec(d, sql, 0, NULL, &r) < 0)
		return -1;
	int64_t v = db_rows(r) ? db_int(r, 0, 0) : -1;
	db_res_free(r);
	return v;
}

static bool has_id(const session_result *r, int64_t id)
{
	for (size_t i = 0; i < r->rows.n; i++)
		if (r->rows.rows[i].id == id)
			return true;
	return false;
}

/* 30 jobs of alice, newest id 30 (every tenth failed, every seventh waiting for a worker,
 * three named "Special export"), one of bob's, one command-line job, one silent run. */
static int seed(db *su)
{
	static const char *const sql[] = {
		"DO $$ DECLARE u record; BEGIN "
		"FOR u IN SELECT * FROM (VALUES ('admin', 'jobdeck_admin'), ('alice', 'jobdeck_user')) v(name, grp) LOOP "
		"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = u.name) THEN "
		"EXECUTE format('CREATE ROLE %I LOGIN', u.name); END IF; "
		"EXECUTE format('GRANT %I TO %I', u.grp, u.name); END LOOP; END $$",
		"INSERT INTO jobdeck.jobs (id, name, type, status, username, info, created_at, started_at, completed_at) "
		"SELECT n, CASE WHEN n IN (4, 12, 17) THEN 'Special export' ELSE 'Import ' || n END, 'sleep', "
		"       CASE WHEN n % 10 = 0 THEN 'Error' WHEN n % 7 = 0 THEN 'Running' ELSE 'Completed' END::jobdeck.job_status, "
		"       'alice', ARRAY['note ' || n], "
		"       timestamptz '2026-03-01 08:00+00' + n * interval '1 minute', "
		"       CASE WHEN n % 7 = 0 THEN NULL ELSE timestamptz '2026-03-01 08:00+00' + n * interval '1 minute' END, "
		"       CASE WHEN n % 7 = 0 THEN NULL ELSE timestamptz '2026-03-01 08:00:30+00' + n * interval '1 minute' END "
		"  FROM generate_series(1, 30) n",
		"INSERT INTO jobdeck.jobs (id, name, type, status, username, created_at, completed_at) VALUES "
		"(31, 'Bob''s job', 'sleep', 'Completed', 'bob', '2026-03-01 09:00+00', '2026-03-01 09:01+00'), "
		"(32, 'From the shell', 'sleep', 'Completed', NULL, '2026-03-01 09:02+00', '2026-03-01 09:03+00')",
		"INSERT INTO jobdeck.jobs (id, name, type, username, worker, started_at, heartbeat_at, created_at) "
		"VALUES (33, 'Silent run', 'cmdline', NULL, 'run@elsewhere:42', now() - interval '10 minutes', "
		"        now() - interval '3 minutes', '2026-03-01 07:00+00')",
		"SELECT setval('jobdeck.jobs_id_seq', 100)",
		"INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES (30, 0, convert_to(E'hello\\nworld\\n', 'UTF8'))",
		"UPDATE jobdeck.jobs SET output_bytes = 12 WHERE id = 30",
	};
	for (size_t i = 0; i < ARRAY_SIZE(sql); i++)
		if (db_exec(su, sql[i], 0, NULL, NULL) < 0) {
			printf("        %s\n", db_error(su));
			return -1;
		}
	return 0;
}

/* A view from the top, the window around a job, the last rows, a filter, another tab, and
 * a job that went away. */
static void check_views(session *s, db *su)
{
	session_view v = view_of(JOBS_TAB_ALL, 5);
	session_result *r = ask_view(s, &v);
	CHECK(r && r->ok, "a view is answered");
	if (!r)
		return;
	CHECK(r->rows.n == 10 && r->sel == 0 && !r->more_before && r->more_after,
	      "the top view has twice the rows asked for, the first selected, more below");
	CHECK(r->rows.n && r->rows.rows[0].id == 30 && r->rows.rows[9].id == 21, "newest first: jobs 30 to 21");
	CHECK(r->counts[JOBS_TAB_ALL] == 30 && r->counts[JOBS_TAB_ACTIVE] == 4 && r->counts[JOBS_TAB_FAILED] == 3,
	      "the counts are alice's: 30 jobs, 4 running, 3 failed");
	CHECK(r->has_detail && r->detail.row.id == 30 && strcmp(r->detail.row.name, "Import 30") == 0 &&
	      r->detail.row.status == JOB_ERROR && r->detail.nnotes == 1 && strcmp(r->detail.notes[0], "note 30") == 0,
	      "the selected job's details come with it");
	CHECK(r->has_detail && r->output.len == 12 && r->output.total == 12 &&
	      memcmp(r->output.data, "hello\nworld\n", 12) == 0, "and its console output");
	char key[64];
	snprintf(key, sizeof key, "%s", r->rows.n > 5 ? r->rows.rows[5].sort_key : "");
	session_result_free(r);

	v.mode = SESSION_AT;
	v.at_id = 25;
	v.at_key = key;
	v.rows = 3;
	r = ask_view(s, &v);
	CHECK(r && r->ok && r->sel == 3 && r->rows.n == 7 && r->rows.rows[3].id == 25 &&
	      r->more_before && r->more_after && r->has_detail && r->detail.row.id == 25,
	      "a view at job 25 reads three rows above it and three below, job 25 selected");
	session_result_free(r);

	db_exec(su, "DELETE FROM jobdeck.jobs WHERE id = 25", 0, NULL, NULL);
	r = ask_view(s, &v);
	CHECK(r && r->ok && r->sel >= 0 && r->rows.rows[r->sel].id == 24 && !has_id(r, 25),
	      "when the job has gone, the view stays where it was, on the job that followed");
	session_result_free(r);

	v = view_of(JOBS_TAB_ALL, 5);
	v.mode = SESSION_BOTTOM;
	r = ask_view(s, &v);
	CHECK(r && r->ok && r->rows.n == 10 && r->sel == 9 && r->rows.rows[9].id == 1 && r->more_before &&
	      !r->more_after, "the bottom view ends with the oldest job, selected");
	session_result_free(r);

	v = view_of(JOBS_TAB_ALL, 20);
	v.filter = "special";
	r = ask_view(s, &v);
	CHECK(r && r->ok && r->rows.n == 3 && r->rows.rows[0].id == 17 && r->rows.rows[2].id == 4,
	      "a filter keeps the matching jobs only");
	session_result_free(r);

	v = view_of(JOBS_TAB_FAILED, 20);
	r = ask_view(s, &v);
	CHECK(r && r->ok && r->rows.n == 3 && r->rows.rows[0].status == JOB_ERROR && r->rows.rows[2].id == 10,
	      "the Failed tab lists the failed jobs");
	session_result_free(r);

	v = view_of(JOBS_TAB_ALL, 50);
	r = ask_view(s, &v);
	CHECK(r && r->rows.n == 29 && !has_id(r, 31) && !has_id(r, 32) && !has_id(r, 33),
	      "a user's view holds no other user's and no command-line jobs");
	session_result_free(r);
}

static void check_requests(session *s, db *su, const char *dir)
{
	uint64_t seq = session_clear_count(s);
	session_result *r = wait_for(s, SESSION_R_CLEAR_COUNT, seq, 5000);
	CHECK(r && r->ok && r->n == 25, "a clear count is answered: alice's 25 inactive jobs");
	session_result_free(r);

	session_view v = view_of(JOBS_TAB_ALL, 0);
	char path[600];
	snprintf(path, sizeof path, "%s/history.csv", dir);
	seq = session_export(s, &v, path, false);
	r = wait_for(s, SESSION_R_EXPORT, seq, 5000);
	CHECK(r && r->ok && r->n == 29 && strcmp(r->path, path) == 0 && access(path, F_OK) == 0,
	      "an export writes the tab's jobs to the file");
	session_result_free(r);
	seq = session_export(s, &v, path, false);
	r = wait_for(s, SESSION_R_EXPORT, seq, 5000);
	CHECK(r && !r->ok && strstr(r->msg, "already exists"), "an export never replaces a file unasked");
	session_result_free(r);
	unlink(path);

	seq = session_cancel(s, 21);
	r = wait_for(s, SESSION_R_CANCEL, seq, 5000);
	CHECK(r && r->ok && r->job_id == 21 && r->cancel == JOBS_CANCEL_DONE,
	      "a cancel is answered: a job that had not started ends at once");
	session_result_free(r);
	seq = session_cancel(s, 31);
	r = wait_for(s, SESSION_R_CANCEL, seq, 5000);
	CHECK(r && r->ok && r->cancel == JOBS_CANCEL_MISSING, "another user's job may not be cancelled");
	session_result_free(r);

	seq = session_clear(s);
	r = wait_for(s, SESSION_R_CLEAR, seq, 5000);
	CHECK(r && r->ok && r->n == 26, "a clear removes alice's inactive jobs (the cancelled one too)");
	session_result_free(r);
	int64_t end = now_ms() + 5000;
	while (sql_int(su, "SELECT count(*) FROM jobdeck.job_output WHERE job_id = 30") != 0 && now_ms() < end)
		usleep(50000);
	CHECK(sql_int(su, "SELECT count(*) FROM jobdeck.job_output WHERE job_id = 30") == 0,
	      "the cleared jobs' output is purged");
	CHECK(sql_int(su, "SELECT count(*) FROM jobdeck.jobs WHERE username IS DISTINCT FROM 'alice'") == 3,
	      "other users' and command-line jobs stay");
}

static void check_live(session *s, db *su)
{
	session_result *r;
	while ((r = session_next(s)))
		session_result_free(r);
	db_exec(su, "INSERT INTO jobdeck.jobs (name, type, username) VALUES ('Arrival', 'sleep', 'alice')",
		0, NULL, NULL);
	r = wait_for(s, SESSION_R_NOTIFY, 0, 3000);
	CHECK(r && !r->output_only, "a job inserted elsewhere is heard (NOTIFY)");
	session_result_free(r);

	db_exec(su, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		    "WHERE datname = '" DBNAME "' AND usename = 'alice'", 0, NULL, NULL);
	r = wait_for(s, SESSION_R_STATE, 0, 5000);
	CHECK(r && !r->connected && r->msg[0], "a killed connection is reported lost, with the reason");
	session_result_free(r);
	r = wait_for(s, SESSION_R_STATE, 0, 10000);
	CHECK(r && r->connected && strcmp(r->user, "alice") == 0, "and the session reconnects by itself");
	session_result_free(r);
	session_view v = view_of(JOBS_TAB_ALL, 5);
	r = ask_view(s, &v);
	CHECK(r && r->ok && r->rows.n == 4 && strcmp(r->rows.rows[0].name, "Arrival") == 0,
	      "views are answered again after reconnecting: the new job and the three running");
	session_result_free(r);
}

/* The operations' requests, as alice after check_live (her jobs: Arrival and 7, 14, 28, all
 * waiting): a count, plans on ids and on a query, a bulk cancel, retries, and the workers
 * and a pause, which only administrators get. */
static void check_operations(session *s, db *su)
{
	session_view v = view_of(JOBS_TAB_ALL, 0);
	uint64_t seq = session_count(s, &v);
	session_result *r = wait_for(s, SESSION_R_COUNT, seq, 5000);
	CHECK(r && r->ok && r->n == 4, "a count of the tab's jobs: alice's four");
	session_result_free(r);

	int64_t ids[] = { 31, 7 };
	seq = session_plan(s, BULK_CANCEL, NULL, ids, 2);
	r = wait_for(s, SESSION_R_PLAN, seq, 5000);
	CHECK(r && r->ok && r->plan.n == 1 && r->plan.ids[0] == 7 &&
	      r->plan.skipped[SKIP_NOT_RUNNING] + r->plan.skipped[SKIP_NOT_YOURS] + r->plan.skipped[SKIP_GONE] == 1,
	      "a plan on ids: alice's waiting job is cancelled, bob's is skipped");
	if (r && r->ok && r->plan.n == 1) {
		uint64_t run = session_bulk(s, &r->plan);
		session_result *b = wait_for(s, SESSION_R_BULK, run, 5000);
		CHECK(b && b->ok && b->bulk.done == 1 && b->bulk.refused == 0, "the plan is carried out");
		session_result_free(b);
		CHECK(sql_int(su, "SELECT count(*) FROM jobdeck.jobs WHERE id = 7 AND status = 'Error'") == 1,
		      "the job is cancelled");
	}
	session_result_free(r);
	seq = session_plan(s, BULK_RETRY, &v, NULL, 0);
	r = wait_for(s, SESSION_R_PLAN, seq, 5000);
	CHECK(r && r->ok && r->plan.n == 1 && r->plan.ids[0] == 7 && r->plan.skipped[SKIP_NOT_FAILED] == 3,
	      "a plan on the tab's query: the one failed job is retried, three that did not fail skipped");
	session_result_free(r);

	seq = session_retry(s, 7);
	r = wait_for(s, SESSION_R_RETRY, seq, 10000);
	CHECK(r && r->ok && r->job_id == 7 && r->retry == JOBS_RETRY_DONE && r->new_id > 100,
	      "a retry of a failed job names the new job");
	session_result_free(r);
	seq = session_retry(s, 14);
	r = wait_for(s, SESSION_R_RETRY, seq, 10000);
	CHECK(r && r->ok && r->retry == JOBS_RETRY_NOT_FAILED, "a job that did not fail is not retried");
	session_result_free(r);

	seq = session_workers_request(s);
	r = wait_for(s, SESSION_R_WORKERS, seq, 10000);
	CHECK(r && !r->ok && !r->workers, "a user may not read the workers");
	session_result_free(r);
	seq = session_pause(s, "sleep", true);
	r = wait_for(s, SESSION_R_PAUSE, seq, 5000);
	CHECK(r && !r->ok && strcmp(r->route, "sleep") == 0 && r->paused, "nor pause a job type");
	session_result_free(r);
}

/* ==== the detail pane's requests ==== */

/* An output search over the whole stored output, in its chunks; a filter's capped counts. */
static void check_detail_requests(session *s, db *su)
{
	session_result *r;
	while ((r = session_next(s)))
		session_result_free(r);
	int64_t id = sql_int(su, "INSERT INTO jobdeck.jobs (name, type, username, status, started_at, completed_at, "
				 "output_bytes) VALUES ('Searchable', 'sleep', 'alice', 'Completed', now(), now(), 29) "
				 "RETURNING id");
	if (id < 0)
		printf("        %s\n", db_error(su));
	char sql[400];
	snprintf(sql, sizeof sql, "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES "
		 "(%lld, 0, convert_to(E'one needle\\ntwo nee', 'UTF8')), (%lld, 18, convert_to(E'dle\\nNeedle\\n', 'UTF8'))",
		 (long long)id, (long long)id);
	CHECK(db_exec(su, sql, 0, NULL, NULL) == 0, "a job with output in two chunks");
	uint64_t seq = session_search(s, id, "needle", 10);
	r = wait_for(s, SESSION_R_SEARCH, seq, 5000);
	CHECK(r && r->ok && r->job_id == id && r->n == 3 && r->noffsets == 3 && r->offsets[0] == 4 &&
	      r->offsets[1] == 15 && r->offsets[2] == 22,
	      "a search finds every match, across chunks, in either case without a capital");
	session_result_free(r);
	seq = session_search(s, id, "needle", 1);
	r = wait_for(s, SESSION_R_SEARCH, seq, 5000);
	CHECK(r && r->ok && r->n == 3 && r->noffsets == 1, "a search keeps up to max offsets, and counts them all");
	session_result_free(r);
	session_view v = view_of(JOBS_TAB_ALL, 0);
	v.filter = "Searchable";
	seq = session_tab_counts(s, &v, 10);
	r = wait_for(s, SESSION_R_TAB_COUNTS, seq, 5000);
	CHECK(r && r->ok && r->counts[JOBS_TAB_ALL] == 1 && r->counts[JOBS_TAB_ACTIVE] == 0,
	      "a filter's counts per tab");
	session_result_free(r);
	v.filter = NULL;
	seq = session_tab_counts(s, &v, 2);
	r = wait_for(s, SESSION_R_TAB_COUNTS, seq, 5000);
	CHECK(r && r->ok && r->counts[JOBS_TAB_ALL] == 2, "counts stop at the cap");
	session_result_free(r);
}

int main(void)
{
	db *top = db_open(NULL);
	if (!db_connected(top)) {
		CHECK(0, "connects to the test database");
		printf("        %s\n", db_error(top));
		db_close(top);
		return CHECK_DONE();
	}
	db_exec(top, "DROP DATABASE IF EXISTS " DBNAME, 0, NULL, NULL);
	CHECK(db_exec(top, "CREATE DATABASE " DBNAME, 0, NULL, NULL) == 0, "a database of its own");
	db *su = db_open("dbname=" DBNAME);
	int applied;
	CHECK(db_connected(su) && migrate_run(su, &applied) == 0, "the schema migrates");
	CHECK(seed(su) == 0, "the jobs are in");

	db *d = db_open("dbname=" DBNAME " user=alice");
	session *s = session_start(d);
	CHECK(s != NULL, "a session starts on alice's connection");
	if (s) {
		session_result *r = wait_for(s, SESSION_R_STATE, 0, 5000);
		CHECK(r && r->connected && strcmp(r->user, "alice") == 0 && !r->admin,
		      "its first word is its state: connected as alice, not an administrator");
		session_result_free(r);
		check_views(s, su);
		int64_t end = now_ms() + 5000;
		while (sql_int(su, "SELECT count(*) FROM jobdeck.jobs WHERE id = 33 AND status = 'Error'") != 1 &&
		       now_ms() < end)
			usleep(50000);
		CHECK(sql_int(su, "SELECT count(*) FROM jobdeck.jobs WHERE id = 33 AND status = 'Error'") == 1,
		      "a silent command-line run is ended as lost by the session");
		char dir[] = "/tmp/jd-session-XXXXXX";
		CHECK(mkdtemp(dir) != NULL, "a scratch folder");
		check_requests(s, su, dir);
		rmdir(dir);
		check_live(s, su);
		check_operations(s, su);
		check_detail_requests(s, su);
		session_stop(s);
	} else {
		db_close(d);
	}
	session_stop(NULL);
	session_result_free(NULL);
	db_close(su);
	CHECK(db_exec(top, "DROP DATABASE " DBNAME, 0, NULL, NULL) == 0, "its database is dropped afterwards");
	db_close(top);
	return CHECK_DONE();
}
