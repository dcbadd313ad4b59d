/* jdbench.c — times jobdeck's own backend calls (the functions the dashboard and the CLI
 * use) against the benchmark database. The connection comes from the usual PG* variables,
 * so the caller picks the role (admin, alice, carol) with PGUSER: row-level security applies
 * exactly as it does for the dashboard. Results go to stdout as key=value words.
 *
 *   jdbench page SCENARIO ITERS [ARG]   SCENARIO: first | deep (ARG: rows deep) | failed |
 *                                       filter (ARG: the text) ; median and p99 in ms.
 *                                       ITERS 0: one call only, after a marker statement
 *                                       ("bench-capture:SCENARIO") so the SQL can be found
 *                                       in the server log and replayed by psql.
 *   jdbench refresh ITERS               first page + counters, as one dashboard refresh
 *   jdbench tail JOBID BYTES ITERS      the last BYTES of a job's console output
 *   jdbench export FILE                 the whole history as CSV (export_csv)
 *   jdbench clear CONNINFO              jobs_clear as this role, then the purge of the
 *                                       output it left, while a second connection (CONNINFO,
 *                                       e.g. "user=admin") keeps fetching the first page and
 *                                       the counters */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "export.h"
#include "jobs.h"

#define PAGE_ROWS 50

/* The q-th quantile (0..1) of n samples, sorting them in place. */
static double quantile(double *v, size_t n, double q)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

/* Peak resident memory of this process so far, in kB. */
static long peak_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static void die(db *d, const char *what)
{
	fprintf(stderr, "jdbench: %s: %s\n", what, d ? db_error(d) : "failed");
	exit(1);
}

static db *connect_or_die(const char *conninfo)
{
	db *d = db_open(conninfo);
	if (!db_connected(d))
		die(d, "connect");
	return d;
}

/* ==== page fetch ==== */

struct scenario {
	jobs_query q;
	jobs_cursor after;
	jobs_cursor *afterp;
};

/* The cursor for a page `depth` rows down the default ordering: the row just above it. */
static void deep_cursor(db *d, long depth, jobs_cursor *c)
{
	char off[24];
	snprintf(off, sizeof off, "%ld", depth > 0 ? depth - 1 : 0);
	const char *p[] = { off };
	db_res *r;
	if (db_exec(d, "SELECT created_at::text, id FROM jobdeck.jobs ORDER BY created_at DESC, id DESC"
		       " OFFSET $1::bigint LIMIT 1", 1, p, &r) < 0)
		die(d, "deep cursor");
	if (db_rows(r) != 1) {
		fprintf(stderr, "jdbench: fewer than %ld jobs visible\n", depth);
		exit(1);
	}
	c->key = db_dup(r, 0, 0);
	c->id = db_int(r, 0, 1);
	db_res_free(r);
}

static int cmd_page(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: jdbench page first|deep|failed|filter ITERS [ARG]\n", stderr);
		return 2;
	}
	const char *name = argv[0];
	int iters = atoi(argv[1]);
	const char *arg = argc > 2 ? argv[2] : NULL;
	db *d = connect_or_die(NULL);
	struct scenario s = { .q = { JOBS_TAB_ALL, NULL, JOBS_SORT_START, false } };
	if (strcmp(name, "deep") == 0) {
		deep_cursor(d, arg ? atol(arg) : 900000, &s.after);
		s.afterp = &s.after;
	} else if (strcmp(name, "failed") == 0) {
		s.q.tab = JOBS_TAB_FAILED;
	} else if (strcmp(name, "filter") == 0) {
		s.q.filter = arg ? arg : "";
	} else if (strcmp(name, "first") != 0) {
		fprintf(stderr, "jdbench: unknown scenario %s\n", name);
		return 2;
	}
	if (iters == 0) {
		char *mark = xasprintf("SELECT 'bench-capture:%s'", name);
		if (db_exec(d, mark, 0, NULL, NULL) < 0)
			die(d, "marker");
		free(mark);
	}
	job_list l;
	/* one untimed call: the plan cache, the buffers and the connection warm up as psql's do */
	if (jobs_page(d, &s.q, s.afterp, false, PAGE_ROWS, &l) < 0)
		die(d, name);
	size_t rows = l.n;
	job_list_release(&l);
	double *t = xcalloc((size_t)iters + 1, sizeof *t);
	double start = now_ms();
	int done = 0;
	/* a slow query gets fewer runs: at least 3, and no new one after 3 seconds */
	for (; done < iters && (done < 3 || now_ms() - start < 3000); done++) {
		double t0 = now_ms();
		if (jobs_page(d, &s.q, s.afterp, false, PAGE_ROWS, &l) < 0)
			die(d, name);
		t[done] = now_ms() - t0;
		job_list_release(&l);
	}
	double p99 = quantile(t, (size_t)done, 0.99), med = quantile(t, (size_t)done, 0.5);
	printf("rows=%zu runs=%d median_ms=%.3f p99_ms=%.3f\n", rows, done, med, p99);
	free(t);
	free(s.after.key);
	db_close(d);
	return 0;
}

/* ==== one dashboard refresh: the page and the tab counters ==== */

static int cmd_refresh(int argc, char **argv)
{
	int iters = argc > 0 ? atoi(argv[0]) : 50;
	db *d = connect_or_die(NULL);
	jobs_query q = { JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
	double *t = xcalloc((size_t)iters + 1, sizeof *t);
	for (int i = -1; i < iters; i++) {
		job_list l;
		int64_t counts[JOBS_NTABS];
		double t0 = now_ms();
		if (jobs_page(d, &q, NULL, false, PAGE_ROWS, &l) < 0 || jobs_counts(d, counts) < 0)
			die(d, "refresh");
		if (i >= 0)
			t[i] = now_ms() - t0;
		job_list_release(&l);
	}
	printf("median_ms=%.3f p99_ms=%.3f\n", quantile(t, (size_t)iters, 0.5), quantile(t, (size_t)iters, 0.99));
	free(t);
	db_close(d);
	return 0;
}

/* ==== console output tail ==== */

static int cmd_tail(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: jdbench tail JOBID BYTES ITERS\n", stderr);
		return 2;
	}
	int64_t id = atoll(argv[0]);
	size_t bytes = (size_t)atol(argv[1]);
	int iters = atoi(argv[2]);
	db *d = connect_or_die(NULL);
	double *t = xcalloc((size_t)iters + 1, sizeof *t);
	size_t got = 0;
	int64_t total = 0;
	for (int i = -1; i < iters; i++) {
		job_output o;
		double t0 = now_ms();
		if (jobs_output_tail(d, id, bytes, &o) < 0)
			die(d, "tail");
		if (i >= 0)
			t[i] = now_ms() - t0;
		got = o.len;
		total = o.total;
		job_output_release(&o);
	}
	printf("bytes=%zu total=%lld median_ms=%.3f p99_ms=%.3f peak_rss_kb=%ld\n", got, (long long)total,
	       quantile(t, (size_t)iters, 0.5), quantile(t, (size_t)iters, 0.99), peak_rss_kb());
	free(t);
	db_close(d);
	return 0;
}

/* ==== CSV export ==== */

static int cmd_export(int argc, char **argv)
{
	if (argc < 1) {
		fputs("usage: jdbench export FILE\n", stderr);
		return 2;
	}
	db *d = connect_or_die(NULL);
	FILE *f = fopen(argv[0], "w");
	if (!f) {
		perror(argv[0]);
		return 1;
	}
	jobs_query q = { JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
	int64_t rows = 0;
	double t0 = now_ms();
	if (export_csv(d, &q, f, &rows) < 0)
		die(d, "export");
	if (fclose(f) != 0) {
		perror(argv[0]);
		return 1;
	}
	printf("rows=%lld seconds=%.3f peak_rss_kb=%ld\n", (long long)rows, (now_ms() - t0) / 1e3, peak_rss_kb());
	db_close(d);
	return 0;
}

/* ==== clear, with a second connection probing the dashboard's queries meanwhile ==== */

struct probe {
	const char *conninfo;
	atomic_int done;
	double *t;
	size_t n, cap;
	char err[256];
};

static void *probe_run(void *arg)
{
	struct probe *p = arg;
	db *d = db_open(p->conninfo);
	if (!db_connected(d)) {
		snprintf(p->err, sizeof p->err, "%s", db_error(d));
		db_close(d);
		return NULL;
	}
	jobs_query q = { JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
	while (!atomic_load(&p->done)) {
		job_list l;
		int64_t counts[JOBS_NTABS];
		double t0 = now_ms();
		if (jobs_page(d, &q, NULL, false, PAGE_ROWS, &l) < 0 || jobs_counts(d, counts) < 0) {
			snprintf(p->err, sizeof p->err, "%s", db_error(d));
			break;
		}
		job_list_release(&l);
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 1024;
			p->t = xrealloc(p->t, p->cap * sizeof *p->t);
		}
		p->t[p->n++] = now_ms() - t0;
		usleep(5000);   /* a dashboard refreshes on events, not in a busy loop */
	}
	db_close(d);
	return NULL;
}

static int cmd_clear(int argc, char **argv)
{
	if (argc < 1) {
		fputs("usage: jdbench clear PROBE-CONNINFO\n", stderr);
		return 2;
	}
	db *d = connect_or_die(NULL);
	int64_t want = 0, removed = 0;
	if (jobs_clear_count(d, &want) < 0)
		die(d, "clear count");
	struct probe p = { .conninfo = argv[0] };
	pthread_t th;
	if (pthread_create(&th, NULL, probe_run, &p) != 0) {
		fputs("jdbench: cannot start the probe thread\n", stderr);
		return 1;
	}
	usleep(200000);   /* the probe is connected and running before the clear starts */
	double t0 = now_ms();
	int rc = jobs_clear(d, &removed);
	double secs = (now_ms() - t0) / 1e3;
	/* then the rest of their console output, as an idle client or `jobdeck clear` would */
	int64_t purged = 0;
	t0 = now_ms();
	if (rc == 0)
		rc = jobs_output_purge(d, 0, &purged);
	double purge_secs = (now_ms() - t0) / 1e3;
	atomic_store(&p.done, 1);
	pthread_join(th, NULL);
	if (rc < 0)
		die(d, "clear");
	if (p.err[0]) {
		fprintf(stderr, "jdbench: probe: %s\n", p.err);
		return 1;
	}
	printf("expected=%lld removed=%lld seconds=%.3f purge_seconds=%.3f probes=%zu probe_median_ms=%.3f"
	       " probe_p99_ms=%.3f probe_max_ms=%.3f\n", (long long)want, (long long)removed, secs, purge_secs, p.n,
	       quantile(p.t, p.n, 0.5), quantile(p.t, p.n, 0.99), quantile(p.t, p.n, 1.0));
	free(p.t);
	db_close(d);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "page", cmd_page }, { "refresh", cmd_refresh }, { "tail", cmd_tail },
		{ "export", cmd_export }, { "clear", cmd_clear },
	};
	if (argc >= 2)
		for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
			if (strcmp(argv[1], cmds[i].name) == 0)
				return cmds[i].fn(argc - 2, argv + 2);
	fputs("usage: jdbench page|refresh|tail|export|clear ARGS (see the source)\n", stderr);
	return 2;
}
