/* submit.c — `jobdeck submit`: records a job as the caller and hands its id to gearmand.
 *
 * The database row comes first, so the job exists whatever happens next: gearmand refusing
 * ends it as Error with the reason; a crash before the hand-over leaves it for the workers'
 * sweep to hand over. With no worker connected for the type, the job waits and says so. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "jobs.h"
#include "jobs_worker.h"
#include "jobtypes/jobtypes.h"
#include "queue.h"
#include "tasks.h"
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
			if (tty)
				cli_put_text(stdout, (const char *)o.data, o.len, 1);
			else
				fwrite(o.data, 1, o.len, stdout);
			offset += (int64_t)o.len;
			job_output_release(&o);
		}
		fflush(stdout);
		if (st != JOB_RUNNING) {
			const char *note = j.nnotes ? j.notes[j.nnotes - 1] : "";
			cli_error("job %lld %s%s%s", (long long)id, job_status_name(st), *note ? ": " : "", note);
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

/* ==== recording ==== */

/* Reports a failed recording in one line; returns EXIT_RUNTIME. */
static int submit_db_fail(db *d, const job_new *jn)
{
	if (db_failure(d) == DB_FAIL_QUERY && strstr(db_error(d), "violates foreign key"))
		cli_error("submit: record %lld does not exist", (long long)jn->object_id);
	else
		cli_error("submit: %s", db_error(d));
	return EXIT_RUNTIME;
}

/* ==== submit --count ==== */

#define SUBMIT_CHUNK 500

/* Records count identical jobs and hands them to gearmand, SUBMIT_CHUNK at a time: one
 * statement (recording them as queued) and one pipelined hand-over per chunk. Prints each id.
 * Jobs gearmand did not take end as Error with the reason, and no further chunk is recorded. */
static int submit_many(db *d, const job_new *jn, int64_t count, bool no_worker, const char *fn,
		       const char *servers, bool reachable, const char *gerr)
{
	int64_t *ids = xcalloc(SUBMIT_CHUNK, sizeof *ids);
	int64_t *failed = xcalloc(SUBMIT_CHUNK, sizeof *failed);
	bool *ok = xcalloc(SUBMIT_CHUNK, sizeof *ok);
	queue *q = queue_open(servers);
	int rc = EXIT_OK;
	for (int64_t done = 0; done < count; done += SUBMIT_CHUNK) {
		size_t n = count - done < SUBMIT_CHUNK ? (size_t)(count - done) : SUBMIT_CHUNK;
		if (jobs_submit(d, jn, n, no_worker, ids) < 0) {
			rc = submit_db_fail(d, jn);
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
			const char *why = reachable ? qerr : gerr;
			if (jobs_fail_unqueued(d, failed, nfailed, why) < 0)
				cli_error("submit: %s", db_error(d));
			for (size_t i = 0; i < nfailed; i++)
				printf("%lld\n", (long long)failed[i]);
			fflush(stdout);
			if (nfailed == 1)
				cli_error("job %lld: Could not queue the job: %s", (long long)failed[0], why);
			else
				cli_error("%zu jobs (%lld to %lld): Could not queue the job: %s", nfailed,
					  (long long)failed[0], (long long)failed[nfailed - 1], why);
			int64_t left = count - done - (int64_t)n;
			if (left > 0)
				cli_error("submit: stopped; the other %lld job%s were not recorded", (long long)left,
					  left == 1 ? "" : "s");
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

/* ==== one submission ==== */

/* What `jobdeck submit` was asked for, once parsed and resolved. */
struct submission {
	const jobtype *jt;          /* the built-in type, "command" for a task */
	const task *tk;             /* the task, or NULL */
	char **keys, **vals;        /* parameters, the task's name first for a task */
	size_t np;
	int64_t object, count;
	const char *name;           /* --description, or NULL */
	bool wait;
	int input;                  /* the input file (a PARAM_FILE), read as the caller; -1: none */
	const char *input_path;
	int64_t input_size;
};

static void submission_release(struct submission *s)
{
	for (size_t i = 0; i < s->np; i++) {
		free(s->keys[i]);
		free(s->vals[i]);
	}
	free(s->keys);
	free(s->vals);
	if (s->input >= 0)
		close(s->input);
}

static void add_param(struct submission *s, const char *key, size_t keylen, const char *val)
{
	s->keys = xrealloc(s->keys, (s->np + 1) * sizeof *s->keys);
	s->vals = xrealloc(s->vals, (s->np + 1) * sizeof *s->vals);
	s->keys[s->np] = xasprintf("%.*s", (int)keylen, key);
	s->vals[s->np++] = xstrdup(val);
}

static const char *param_of(const struct submission *s, const char *key)
{
	for (size_t i = 0; i < s->np; i++)
		if (strcmp(s->keys[i], key) == 0)
			return s->vals[i];
	return NULL;
}

static const char submit_help[] =
	"usage: jobdeck submit TYPE [--object ID] [--param KEY=VALUE]... [--description TEXT]\n"
	"                      [--wait | --count N]\n\n"
	"Records a job as you and hands it to the workers through gearmand. Prints the\n"
	"job's id. With --wait, follows the job, shows its console output as it comes\n"
	"and exits with its outcome (0 Completed, 1 Error). --description names the job.\n"
	"--count N records N identical jobs and hands them over in batches; prints each id.\n"
	"A file parameter (csv-import's file) is read here, with your rights, and stored\n"
	"with the job: the worker reads it from the database, never from a path.\n\n"
	"Types:\n";

#define SUBMIT_HELPED (-1)   /* submit_parse printed the help: exit 0 */

/* Parses the options into s. EXIT_OK to go on, SUBMIT_HELPED, or a usage error's exit code
 * (reported). */
static int submit_parse(int argc, char **argv, struct submission *s, const char **type)
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
	const char *object = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': object = optarg; break;
		case 'd': s->name = optarg; break;
		case 'w': s->wait = true; break;
		case 'n':
			if ((s->count = parse_count(optarg)) < 1 || s->count > 10000000)
				return cli_usage_error(argv[0], "--count takes 1 to 10000000, not '%s'", optarg);
			break;
		case 'p': {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg)
				return cli_usage_error(argv[0], "--param takes KEY=VALUE, not '%s'", optarg);
			add_param(s, optarg, (size_t)(eq - optarg), eq + 1);
			break;
		}
		case 'h':
			fputs(submit_help, stdout);
			for (size_t i = 0; i < jobtypes_count; i++)
				printf("  %-19s %s\n", jobtypes[i].name, jobtypes[i].help);
			printf("  TASK                a task of the task file (JOBDECK_CONFIG), as command\n");
			return SUBMIT_HELPED;
		default:
			fprintf(stderr, "Try 'jobdeck %s --help'.\n", argv[0]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(argv[0], "expected a job TYPE");
	if (optind + 1 < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
	if (s->wait && s->count > 1)
		return cli_usage_error(argv[0], "--wait follows one job; it cannot go with --count");
	if (object && (s->object = parse_count(object)) <= 0)
		return cli_usage_error(argv[0], "--object takes a record id, not '%s'", object);
	*type = argv[optind];
	return EXIT_OK;
}

/* Finds what TYPE names (a built-in type, the command type with --param task, or a task of
 * the task file) and checks every parameter by the type's (or the task's) rules. A task named
 * by the type carries its name as the task parameter, and no other can be given. */
static int submit_resolve(const char *cmd, const char *typearg, const tasks *t, struct submission *s)
{
	char err[600];
	const jobtype *command = jobtype_find("command");
	s->jt = jobtype_find(typearg);
	if (!s->jt) {
		if (!(s->tk = tasks_find(t, typearg)))
			return cli_usage_error(cmd, "unknown job type '%s' (no built-in type or configured task has that name)",
					       typearg);
		if (param_of(s, "task"))
			return cli_usage_error(cmd, "%s is a task: --param task=... goes only with the command type",
					       typearg);
		s->jt = command;
		add_param(s, "task", 4, typearg);
	} else if (s->jt == command) {
		const char *name = param_of(s, "task");
		if (name && tasks_valid_name(name) && !(s->tk = tasks_find(t, name)))
			return cli_usage_error(cmd, "no task '%s' in %s", name, config_tasks_file());
	}
	if (jobtype_check(s->jt, (const char *const *)s->keys, (const char *const *)s->vals, s->np, s->object,
			  err, sizeof err) < 0)
		return cli_usage_error(cmd, "%s", err);
	for (size_t i = 0; s->tk && i < s->np; i++)
		if (strcmp(s->keys[i], "task") != 0 && !task_accepts(s->tk, s->keys[i]))
			return cli_usage_error(cmd, "%s does not take the parameter '%s'", s->tk->name, s->keys[i]);
	const jobparam *fp = jobtype_file_param(s->jt);
	if (fp && (s->input_path = param_of(s, fp->name)) && s->count > 1)
		return cli_usage_error(cmd, "--count cannot go with a file (--param %s)", fp->name);
	return EXIT_OK;
}

/* Opens the input file as the caller: what they cannot read, they cannot submit. */
static int submit_open_input(struct submission *s)
{
	struct stat st;
	if (!s->input_path)
		return EXIT_OK;
	s->input = open(s->input_path, O_RDONLY | O_CLOEXEC);
	if (s->input < 0 || fstat(s->input, &st) < 0) {
		cli_error("submit: cannot read %s: %s", s->input_path, strerror(errno));
		return EXIT_RUNTIME;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_error("submit: %s is not a regular file", s->input_path);
		return EXIT_RUNTIME;
	}
	s->input_size = (int64_t)st.st_size;
	return EXIT_OK;
}

#define INPUT_CHUNK (256 * 1024)

/* Streams the input file into job id, in the transaction that recorded it. */
static int submit_upload(db *d, int64_t id, struct submission *s)
{
	unsigned char *buf = xmalloc(INPUT_CHUNK);
	int rc = 0;
	bool any = false;
	for (;;) {
		ssize_t n = read(s->input, buf, INPUT_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			db_set_error(d, DB_FAIL_QUERY, "cannot read %s: %s", s->input_path, strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0 && any)
			break;
		any = true;
		if ((rc = jobs_input_append(d, id, buf, (size_t)n)) < 0 || n == 0)
			break;
	}
	free(buf);
	return rc;
}

/* The parameters as a JSON object. */
static char *params_json(const struct submission *s)
{
	strbuf sb = STRBUF_INIT;
	sb_addc(&sb, '{');
	for (size_t i = 0; i < s->np; i++) {
		if (i)
			sb_addc(&sb, ',');
		json_string(&sb, s->keys[i]);
		sb_addc(&sb, ':');
		json_string(&sb, s->vals[i]);
	}
	sb_addc(&sb, '}');
	return sb_detach(&sb);
}

/* Records one job (with its input file, in one transaction) and hands it to gearmand. */
static int submit_one(db *d, const job_new *jn, struct submission *s, bool no_worker, const char *fn,
		      const char *servers, bool reachable, const char *gerr, const char *note)
{
	int64_t id;
	if (s->input >= 0) {
		int64_t max;
		if (jobs_input_max(d, &max) < 0)
			return submit_db_fail(d, jn);
		if (s->input_size > max) {
			cli_error("submit: %s is %lld bytes; input files may have up to %lld (settings.input_max_bytes)",
				  s->input_path, (long long)s->input_size, (long long)max);
			return EXIT_RUNTIME;
		}
		if (db_exec(d, "BEGIN", 0, NULL, NULL) < 0)
			return submit_db_fail(d, jn);
	}
	if (jobs_submit(d, jn, 1, no_worker, &id) < 0 ||
	    (s->input >= 0 && (submit_upload(d, id, s) < 0 || db_exec(d, "COMMIT", 0, NULL, NULL) < 0))) {
		int rc = submit_db_fail(d, jn);
		if (s->input >= 0)
			db_exec(d, "ROLLBACK", 0, NULL, NULL);
		return rc;
	}
	char qerr[600] = "";
	queue *q = queue_open(servers);
	int qrc = reachable ? queue_submit(q, fn, id, 5000, qerr, sizeof qerr) : -1;
	queue_close(q);
	printf("%lld\n", (long long)id);
	fflush(stdout);
	if (qrc < 0) {
		const char *why = reachable ? qerr : gerr;
		if (jobs_fail_unqueued(d, &id, 1, why) < 0)
			cli_error("submit: job %lld: %s", (long long)id, db_error(d));
		cli_error("job %lld: Could not queue the job: %s", (long long)id, why);
		return EXIT_RUNTIME;
	}
	if (no_worker)
		cli_error("job %lld: %s", (long long)id, note);
	return s->wait ? follow(d, id) : EXIT_OK;
}

int cmd_submit(int argc, char **argv)
{
	struct submission s = { .count = 1, .input = -1 };
	tasks t = { NULL, 0 };
	const char *typearg = NULL;
	char err[600];
	int rc = submit_parse(argc, argv, &s, &typearg);
	if (rc != EXIT_OK) {
		submission_release(&s);
		return rc == SUBMIT_HELPED ? EXIT_OK : rc;
	}
	if (tasks_load(config_tasks_file(), getenv("JOBDECK_CONFIG") == NULL, &t, err, sizeof err) < 0) {
		cli_error("submit: %s", err);
		rc = EXIT_RUNTIME;
		goto out;
	}
	const char *ns = config_namespace();
	if (!tasks_valid_name(ns)) {
		rc = cli_usage_error(argv[0], "JOBDECK_NAMESPACE '%s' must be letters, digits, '.', '_' or '-'", ns);
		goto out;
	}
	if ((rc = submit_resolve(argv[0], typearg, &t, &s)) != EXIT_OK || (rc = submit_open_input(&s)) != EXIT_OK)
		goto out;

	const char *taskname = s.tk ? s.tk->name : NULL;
	char route[160], fn[256];
	queue_route(s.jt->name, taskname, route, sizeof route);
	queue_function(ns, route, fn, sizeof fn);
	char *params = params_json(&s);
	const char *name = s.name ? s.name : s.tk ? (s.tk->description ? s.tk->description : s.tk->name) : s.jt->title;
	job_new jn = { name, s.jt->name, params, s.object, ns };

	db *d = cli_connect();
	if (!d) {
		rc = EXIT_RUNTIME;
		free(params);
		goto out;
	}
	/* is anyone there to take it? (gearmand's admin status; never libgearman's calls) */
	const char *servers = config_gearman_servers();
	queue_fstat fst;
	char gerr[400] = "";
	bool reachable = queue_status_of(servers, fn, 2000, &fst, gerr, sizeof gerr) == 0;
	bool no_worker = reachable && fst.workers == 0;
	char *note = xasprintf(JOBS_WAITING_NOTE ": none is connected for %s", route);
	if (s.count > 1) {
		rc = submit_many(d, &jn, s.count, no_worker, fn, servers, reachable, gerr);
		if (rc == EXIT_OK && no_worker)
			cli_error("%lld jobs: %s", (long long)s.count, note);
	} else {
		rc = submit_one(d, &jn, &s, no_worker, fn, servers, reachable, gerr, note);
	}
	free(note);
	free(params);
	db_close(d);
out:
	tasks_release(&t);
	submission_release(&s);
	return rc;
}
