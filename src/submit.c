/* submit.c — `jobdeck submit`: records a job as the caller and hands its id to gearmand.
 *
 * The database row comes first, so the job exists whatever happens next: gearmand refusing
 * ends it as Error with the reason; a crash before the hand-over leaves it for the workers'
 * sweep to hand over. With no worker connected for the type, the job waits and says so. */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "jobs.h"
#include "jobs_worker.h"
#include "jobtypes/jobtypes.h"
#include "queue.h"
#include "tasks.h"
#include "text.h"
#include "util.h"

/* Appends s as a JSON string. Bytes that are not UTF-8 are left for the database to refuse. */
static void json_string(strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)*p);
		} else if (*p < 0x20) {
			sb_addf(sb, "\\u%04x", *p);
		} else {
			sb_addc(sb, (char)*p);
		}
	}
	sb_addc(sb, '"');
}

/* ==== following a job (--wait) ==== */

static volatile sig_atomic_t interrupted;
static void on_int(int sig) { (void)sig; interrupted = 1; }
static void ignore_notify(void *ctx, const char *ch, const char *payload) { (void)ctx; (void)ch; (void)payload; }

static int follow(db *d, int64_t id)
{
	bool tty = isatty(STDOUT_FILENO);
	int64_t offset = 0;
	if (db_listen(d, "jobdeck_output") < 0 || db_listen(d, "jobdeck_jobs") < 0)
		return cli_db_fail(d);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_int;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		job_detail j;
		if (jobs_get(d, id, &j) < 0) {
			if (db_failure(d) == DB_FAIL_CONNECT) {
				sleep(1);
				continue;
			}
			return cli_db_fail(d);
		}
		job_status st = j.row.status;
		/* read what is new, in slices, until caught up */
		while (offset < j.output_bytes) {
			job_output o;
			if (jobs_output_range(d, id, offset, 256 * 1024, &o) < 0)
				break;
			if (o.len == 0) {
				job_output_release(&o);
				break;
			}
			if (tty) {
				strbuf sb = STRBUF_INIT;
				text_sanitize(o.data, o.len, &sb, 1);
				fwrite(sb.buf ? sb.buf : "", 1, sb.len, stdout);
				sb_release(&sb);
			} else {
				fwrite(o.data, 1, o.len, stdout);
			}
			offset += (int64_t)o.len;
			job_output_release(&o);
		}
		fflush(stdout);
		if (st != JOB_RUNNING) {
			strbuf sb = STRBUF_INIT;
			const char *note = j.nnotes ? j.notes[j.nnotes - 1] : "";
			text_sanitize((const unsigned char *)note, strlen(note), &sb, 0);
			fprintf(stderr, "jobdeck: job %lld %s%s%s\n", (long long)id, job_status_name(st),
				sb.len ? ": " : "", sb.buf ? sb.buf : "");
			sb_release(&sb);
			job_detail_release(&j);
			return st == JOB_COMPLETED ? EXIT_OK : EXIT_RUNTIME;
		}
		job_detail_release(&j);
		if (interrupted) {
			fprintf(stderr, "jobdeck: stopped following job %lld; it goes on (jobdeck show %lld)\n",
				(long long)id, (long long)id);
			return EXIT_RUNTIME;
		}
		struct pollfd p = { db_socket(d), POLLIN, 0 };
		if (p.fd >= 0)
			poll(&p, 1, 1000);
		else
			sleep(1);
		db_notifies(d, ignore_notify, NULL);
	}
}

/* ==== submit --count ==== */

#define SUBMIT_CHUNK 500

/* Records count identical jobs and hands them to gearmand, SUBMIT_CHUNK at a time: one
 * INSERT (recording them as queued) and one pipelined hand-over per chunk. Prints each id. Jobs gearmand
 * did not take end as Error with the reason, and no further chunk is recorded. */
static int submit_many(db *d, const job_new *jn, int64_t count, const char *fn, const char *servers,
		       bool reachable, const char *gerr)
{
	int64_t *ids = xcalloc(SUBMIT_CHUNK, sizeof *ids);
	int64_t *failed = xcalloc(SUBMIT_CHUNK, sizeof *failed);
	bool *ok = xcalloc(SUBMIT_CHUNK, sizeof *ok);
	queue *q = queue_open(servers);
	int rc = EXIT_OK;
	for (int64_t done = 0; done < count; done += SUBMIT_CHUNK) {
		size_t n = count - done < SUBMIT_CHUNK ? (size_t)(count - done) : SUBMIT_CHUNK;
		if (jobs_create_many(d, jn, n, ids) < 0) {
			if (db_failure(d) == DB_FAIL_QUERY && strstr(db_error(d), "violates foreign key"))
				cli_error("submit: record %lld does not exist", (long long)jn->object_id);
			else
				cli_db_fail(d);
			rc = EXIT_RUNTIME;
			break;
		}
		char qerr[600] = "";
		if (reachable)
			queue_submit_many(q, fn, ids, n, 5000, ok, qerr, sizeof qerr);
		size_t nfailed = 0, nok = 0;
		for (size_t i = 0; i < n; i++) {
			if (reachable && ok[i])
				ids[nok++] = ids[i];
			else
				failed[nfailed++] = ids[i];
		}
		for (size_t i = 0; i < nok; i++)
			printf("%lld\n", (long long)ids[i]);
		if (nfailed) {
			char *line = xasprintf("Could not queue the job: %s", reachable ? qerr : gerr);
			if (jobs_fail_unqueued_many(d, failed, nfailed, line) < 0)
				cli_error("submit: %s", db_error(d));
			for (size_t i = 0; i < nfailed; i++)
				printf("%lld\n", (long long)failed[i]);
			fflush(stdout);
			if (nfailed == 1)
				cli_error("job %lld: %s", (long long)failed[0], line);
			else
				cli_error("%zu jobs (%lld to %lld): %s", nfailed, (long long)failed[0],
					  (long long)failed[nfailed - 1], line);
			int64_t left = count - done - (int64_t)n;
			if (left > 0)
				cli_error("submit: stopped; the other %lld job%s were not recorded", (long long)left,
					  left == 1 ? "" : "s");
			free(line);
			rc = EXIT_RUNTIME;
			break;
		}
		fflush(stdout);
	}
	queue_close(q);
	free(ok);
	free(failed);
	free(ids);
	return rc;
}

/* ==== submit ==== */

int cmd_submit(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "object", required_argument, NULL, 'o' },
		{ "param", required_argument, NULL, 'p' },
		{ "description", required_argument, NULL, 'd' },
		{ "wait", no_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *object = NULL, *desc = NULL;
	bool wait = false;
	int64_t count = 1;
	char **keys = NULL, **vals = NULL;
	size_t np = 0;
	int c, rc = EXIT_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': object = optarg; break;
		case 'd': desc = optarg; break;
		case 'w': wait = true; break;
		case 'n':
			if ((count = parse_count(optarg)) < 1 || count > 10000000) {
				rc = cli_usage_error(argv[0], "--count takes 1 to 10000000, not '%s'", optarg);
				goto out;
			}
			break;
		case 'p': {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg) {
				rc = cli_usage_error(argv[0], "--param takes KEY=VALUE, not '%s'", optarg);
				goto out;
			}
			keys = xrealloc(keys, (np + 1) * sizeof *keys);
			vals = xrealloc(vals, (np + 1) * sizeof *vals);
			keys[np] = xasprintf("%.*s", (int)(eq - optarg), optarg);
			vals[np++] = xstrdup(eq + 1);
			break;
		}
		case 'h':
			printf("usage: jobdeck submit TYPE [--object ID] [--param KEY=VALUE]... [--description TEXT]\n"
			       "                      [--wait | --count N]\n\n"
			       "Records a job as you and hands it to the workers through gearmand. Prints the\n"
			       "job's id. With --wait, follows the job, shows its console output as it comes\n"
			       "and exits with its outcome (0 Completed, 1 Error). --description names the job.\n"
			       "--count N records N identical jobs and hands them over in batches; prints each id.\n\n"
			       "Types:\n");
			for (size_t i = 0; i < jobtypes_count; i++)
				printf("  %-19s %s\n", jobtypes[i].name, jobtypes[i].help);
			printf("  TASK                a task of the task file (JOBDECK_CONFIG), as command\n");
			rc = EXIT_OK;
			goto out;
		default:
			fprintf(stderr, "Try 'jobdeck %s --help'.\n", argv[0]);
			goto out;
		}
	}
	if (optind >= argc) {
		rc = cli_usage_error(argv[0], "expected a job TYPE");
		goto out;
	}
	if (optind + 1 < argc) {
		rc = cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
		goto out;
	}
	if (wait && count > 1) {
		rc = cli_usage_error(argv[0], "--wait follows one job; it cannot go with --count");
		goto out;
	}
	const char *typearg = argv[optind];

	/* what the type is: built-in, or a task of the task file */
	tasks t = { NULL, 0 };
	char err[600];
	if (tasks_load(config_tasks_file(), getenv("JOBDECK_CONFIG") == NULL, &t, err, sizeof err) < 0) {
		cli_error("submit: %s", err);
		tasks_release(&t);
		rc = EXIT_RUNTIME;
		goto out;
	}
	const jobtype *jt = jobtype_find(typearg);
	const task *tk = NULL;
	const char *type = typearg, *taskname = NULL;
	if (jt && strcmp(jt->name, "command") == 0) {
		for (size_t i = 0; i < np; i++)
			if (strcmp(keys[i], "task") == 0)
				taskname = vals[i];
		if (!taskname) {
			rc = cli_usage_error(argv[0], "the command type needs --param task=NAME");
			goto out_tasks;
		}
		if (!(tk = tasks_find(&t, taskname))) {
			rc = cli_usage_error(argv[0], "no task '%s' in %s", taskname, config_tasks_file());
			goto out_tasks;
		}
	} else if (!jt) {
		if (!(tk = tasks_find(&t, typearg))) {
			rc = cli_usage_error(argv[0], "unknown job type '%s' (no built-in type or configured task has that name)",
					     typearg);
			goto out_tasks;
		}
		jt = jobtype_find("command");
		type = "command";
		taskname = tk->name;
	}
	for (size_t i = 0; i < np; i++) {
		bool ok = tk ? strcmp(keys[i], "task") == 0 || task_accepts(tk, keys[i]) : jobtype_accepts(jt, keys[i]);
		if (!ok) {
			rc = cli_usage_error(argv[0], "%s does not take the parameter '%s'", tk ? tk->name : jt->name, keys[i]);
			goto out_tasks;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(keys[k], keys[i]) == 0) {
				rc = cli_usage_error(argv[0], "--param %s is given twice", keys[i]);
				goto out_tasks;
			}
	}
	if (!tk)
		for (const char *const *r = jt->required; *r; r++) {
			size_t i;
			for (i = 0; i < np && strcmp(keys[i], *r) != 0; i++)
				;
			if (i == np) {
				rc = cli_usage_error(argv[0], "%s needs --param %s=...", jt->name, *r);
				goto out_tasks;
			}
		}
	int64_t obj = 0;
	if (object && (obj = parse_count(object)) <= 0) {
		rc = cli_usage_error(argv[0], "--object takes a record id, not '%s'", object);
		goto out_tasks;
	}
	if (jt->needs_object && !obj) {
		rc = cli_usage_error(argv[0], "%s needs --object ID", jt->name);
		goto out_tasks;
	}
	const char *ns = config_namespace();
	if (!tasks_valid_name(ns)) {
		rc = cli_usage_error(argv[0], "JOBDECK_NAMESPACE '%s' must be letters, digits, '.', '_' or '-'", ns);
		goto out_tasks;
	}

	strbuf params = STRBUF_INIT;
	sb_addc(&params, '{');
	bool first = true;
	if (taskname && strcmp(typearg, "command") != 0) {
		json_string(&params, "task");
		sb_addc(&params, ':');
		json_string(&params, taskname);
		first = false;
	}
	for (size_t i = 0; i < np; i++) {
		if (!first)
			sb_addc(&params, ',');
		first = false;
		json_string(&params, keys[i]);
		sb_addc(&params, ':');
		json_string(&params, vals[i]);
	}
	sb_addc(&params, '}');
	char route[160], fn[256];
	queue_route(type, taskname, route, sizeof route);
	queue_function(ns, route, fn, sizeof fn);
	char *name = desc ? xstrdup(desc)
		: tk ? xstrdup(tk->description ? tk->description : tk->name) : xstrdup(jt->title);

	db *d = cli_connect();
	if (!d) {
		rc = EXIT_RUNTIME;
		goto out_params;
	}
	/* is anyone there to take it? (gearmand's admin status; never libgearman's calls) */
	const char *servers = config_gearman_servers();
	queue_fstat fst;
	char gerr[400] = "";
	bool reachable = queue_status_of(servers, fn, 2000, &fst, gerr, sizeof gerr) == 0;
	char *note = reachable && fst.workers == 0
		? xasprintf(JOBS_WAITING_NOTE ": none is connected for %s", route)
		: xstrdup(JOBS_WAITING_NOTE);
	job_new jn = { name, type, params.buf, obj, false, note, ns, 0 };
	if (count > 1) {
		rc = submit_many(d, &jn, count, fn, servers, reachable, gerr);
		if (rc == EXIT_OK && reachable && fst.workers == 0)
			cli_error("%lld jobs: %s", (long long)count, note);
		goto out_db;
	}
	int64_t id;
	if (jobs_create(d, &jn, &id) < 0) {
		if (db_failure(d) == DB_FAIL_QUERY && strstr(db_error(d), "violates foreign key"))
			cli_error("submit: record %lld does not exist", (long long)obj);
		else
			cli_db_fail(d);
		rc = EXIT_RUNTIME;
		goto out_db;
	}
	char qerr[600] = "";
	queue *q = queue_open(servers);
	int qrc = reachable ? queue_submit(q, fn, id, 5000, qerr, sizeof qerr) : -1;
	queue_close(q);
	if (qrc < 0) {
		char *line = xasprintf("Could not queue the job: %s", reachable ? qerr : gerr);
		if (jobs_end(d, id, NULL, JOB_ERROR, line, NULL, 0) < 0)
			cli_error("submit: job %lld: %s", (long long)id, db_error(d));
		cli_error("job %lld: %s", (long long)id, line);
		printf("%lld\n", (long long)id);
		free(line);
		rc = EXIT_RUNTIME;
		goto out_db;
	}
	jobs_mark_queued(d, id);
	printf("%lld\n", (long long)id);
	fflush(stdout);
	if (reachable && fst.workers == 0)
		cli_error("job %lld: %s", (long long)id, note);
	rc = wait ? follow(d, id) : EXIT_OK;
out_db:
	free(note);
	db_close(d);
out_params:
	free(name);
	sb_release(&params);
out_tasks:
	tasks_release(&t);
out:
	for (size_t i = 0; i < np; i++) {
		free(keys[i]);
		free(vals[i]);
	}
	free(keys);
	free(vals);
	return rc;
}
