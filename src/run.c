/* run.c — `jobdeck run`: runs a command here and records it as a command-line job.
 *
 * The job has no user (only administrators and workers may record such jobs; the database
 * checks). Output goes to the terminal as it comes and into the job's console output; the
 * command's exit status decides Completed or Error and becomes run's own exit status. A
 * heartbeat is kept while it runs, so if run itself is killed the workers' sweep ends the job
 * as Error instead of leaving it Running. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "jobs.h"
#include "jobs_worker.h"
#include "jobtypes/jobtypes.h"
#include "runner.h"
#include "worker.h"

extern char **environ;

/* The program execvp would run for name, or NULL. Caller frees. */
static char *find_program(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *copy = xstrdup(path), *save = NULL, *found = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *cand = xasprintf("%s/%s", *dir ? dir : ".", name);
		if (access(cand, X_OK) == 0)
			found = cand;
		else
			free(cand);
	}
	free(copy);
	return found;
}

static void json_string(strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_addf(sb, "\\%c", *p);
		else if (*p < 0x20)
			sb_addf(sb, "\\u%04x", *p);
		else
			sb_addc(sb, (char)*p);
	}
	sb_addc(sb, '"');
}

int cmd_run(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "object", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *name = NULL, *object = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'o': object = optarg; break;
		case 'h':
			fputs("usage: jobdeck run [--name NAME] [--object ID] -- COMMAND [ARGS...]\n\n"
			      "Runs COMMAND here and records it as a command-line job (no user; administrators\n"
			      "see it). Its output shows here and is kept as the job's console output; its exit\n"
			      "status decides Completed or Error and is run's exit status. Needs an\n"
			      "administrator's (or a worker's) database role.\n", stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "Try 'jobdeck %s --help'.\n", argv[0]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(argv[0], "expected -- COMMAND [ARGS...]");
	int64_t obj = 0;
	if (object && (obj = parse_count(object)) <= 0)
		return cli_usage_error(argv[0], "--object takes a record id, not '%s'", object);
	char **cmd = argv + optind;
	int ncmd = argc - optind;

	strbuf line = STRBUF_INIT, params = STRBUF_INIT;
	sb_adds(&params, "{\"command\":[");
	for (int i = 0; i < ncmd; i++) {
		if (i) {
			sb_addc(&line, ' ');
			sb_addc(&params, ',');
		}
		sb_adds(&line, cmd[i]);
		json_string(&params, cmd[i]);
	}
	sb_adds(&params, "]}");
	char *jobname = name ? xstrdup(name) : xasprintf("%.200s", line.buf);

	int rc = EXIT_RUNTIME;
	db *d = cli_connect();
	if (!d)
		goto out;
	jobs_end_lost_runs(d, NULL);   /* earlier runs that died silently: no worker may be about */
	char host[64] = "localhost", me[160];
	gethostname(host, sizeof host);
	host[sizeof host - 1] = '\0';
	snprintf(me, sizeof me, "run@%s:%d", host, (int)getpid());
	job_new jn = { jobname, JOBS_TYPE_CMDLINE, params.buf, obj, config_namespace() };
	int64_t id;
	if (jobs_run_start(d, &jn, me, &id) < 0) {
		if (db_failure(d) == DB_FAIL_DENIED)
			cli_error("run: only administrators and workers may record command-line jobs (%s)", db_error(d));
		else
			cli_db_fail(d);
		goto out_db;
	}
	/* what a job's code sees of it; the run's own row is the record */
	job_claim cl = { .id = id, .name = jobname, .object_id = obj, .attempts = 1, .max_attempts = 1,
			 .cmdline = true };
	runner *r = runner_new(config_conninfo, me, worker_beat_period(worker_heartbeat_timeout()), true);
	runner_begin(r, id);
	job_ctx j;
	job_ctx_init(&j, d, &cl, r, NULL);

	/* like system(): the terminal's ^C and ^\ go to the command, not to us */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	char *prog = find_program(cmd[0]);
	int status = -1;
	job_status st = JOB_ERROR;
	if (!prog) {
		job_fail(&j, "Command not found: %s", cmd[0]);
		fprintf(stderr, "jobdeck: run: command not found: %s\n", cmd[0]);
		rc = 127;
	} else {
		status = jobtype_spawn(&j, prog, cmd, environ, STDOUT_FILENO, false);
		if (status == -1) {
			fprintf(stderr, "jobdeck: run: %s\n", j.note.buf);
			rc = 126;
		} else {
			char how[96];
			jobtype_status_text(status, how, sizeof how);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
				st = JOB_COMPLETED;
				job_note(&j, "Command completed");
			} else {
				job_note(&j, "Command %s", how);
			}
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
		}
	}
	free(prog);
	char who[64];
	if (st == JOB_ERROR && runner_cancelled(r, who, sizeof who)) {
		job_note(&j, "Cancelled by %s", who);
		fprintf(stderr, "jobdeck: run: cancelled by %s\n", who);
	}
	runner_end(r);
	runner_free(r);
	if (jobs_run_end(d, id, st, j.note.buf) < 0) {
		cli_error("run: could not record the end of job %lld: %s", (long long)id, db_error(d));
		if (rc == 0)
			rc = EXIT_RUNTIME;
	}
	job_ctx_release(&j);
out_db:
	db_close(d);
out:
	free(jobname);
	sb_release(&line);
	sb_release(&params);
	return rc;
}
