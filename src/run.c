/* run.c — see run.h. */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "jobs.h"
#include "jobs_worker.h"
#include "jobtypes/jobtypes.h"
#include "runner.h"
#include "run.h"

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


/* The command line as a job's name and as its parameters ({"command": [...]}). */
static void describe(char **argv, strbuf *line, strbuf *params)
{
	json_object *cmd = json_object_new_array();
	for (int i = 0; argv[i]; i++) {
		if (i)
			sb_addc(line, ' ');
		sb_adds(line, argv[i]);
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "command", cmd);
	sb_adds(params, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* Spawns the program with the terminal's ^C and ^\ going to it, not to us (like system()),
 * and records how it ended in j's note and out. */
static job_status spawn(job_ctx *j, const run_request *r, run_outcome *out)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	char *prog = find_program(r->argv[0]);
	job_status st = JOB_ERROR;
	if (!prog) {
		job_fail(j, "Command not found: %s", r->argv[0]);
		snprintf(out->message, sizeof out->message, "run: command not found: %s", r->argv[0]);
		out->status = 127;
		return st;
	}
	int status = jobtype_spawn(j, prog, r->argv, environ, r->tee_fd, false);
	free(prog);
	if (status == -1) {
		snprintf(out->message, sizeof out->message, "run: %s", j->note.buf);
		out->status = 126;
		return st;
	}
	char how[96];
	jobtype_status_text(status, how, sizeof how);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		st = JOB_COMPLETED;
		job_note(j, "Command completed");
	} else {
		job_note(j, "Command %s", how);
	}
	out->status = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
	return st;
}

int run_command(db *d, const run_request *r, run_outcome *out)
{
	memset(out, 0, sizeof *out);
	out->status = 1;
	strbuf line = STRBUF_INIT, params = STRBUF_INIT;
	describe(r->argv, &line, &params);
	char *jobname = r->name ? xstrdup(r->name) : xasprintf("%.200s", line.buf);
	sb_release(&line);
	jobs_end_lost_runs(d, NULL);   /* earlier runs that died silently: no worker may be about */
	char host[64] = "localhost", me[160];
	gethostname(host, sizeof host);
	host[sizeof host - 1] = '\0';
	snprintf(me, sizeof me, "run@%s:%d", host, (int)getpid());
	job_new jn = { jobname, JOBS_TYPE_CMDLINE, params.buf, r->object, config_namespace() };
	int rc = jobs_run_start(d, &jn, me, &out->id);
	sb_release(&params);
	if (rc < 0) {
		if (db_failure(d) == DB_FAIL_DENIED)
			snprintf(out->message, sizeof out->message,
				 "run: only administrators and workers may record command-line jobs (%s)", db_error(d));
		else
			snprintf(out->message, sizeof out->message, "%s", db_error(d));
		free(jobname);
		return -1;
	}
	/* what a job's code sees of it; the run's own row is the record */
	job_claim cl = { .id = out->id, .name = jobname, .object_id = r->object, .attempts = 1, .max_attempts = 1,
			 .cmdline = true };
	runner *rn = runner_new(config_conninfo, me, config_beat_period(), true);
	runner_begin(rn, out->id);
	job_ctx j;
	job_ctx_init(&j, d, &cl, rn, NULL);
	job_status st = spawn(&j, r, out);
	if (st == JOB_ERROR && runner_cancelled(rn, out->cancelled_by, sizeof out->cancelled_by))
		job_note(&j, "Cancelled by %s", out->cancelled_by);
	runner_end(rn);
	runner_free(rn);
	rc = jobs_run_end(d, out->id, st, j.note.buf);
	if (rc < 0) {
		snprintf(out->message, sizeof out->message, "run: could not record the end of job %lld: %s",
			 (long long)out->id, db_error(d));
		if (out->status == 0)
			out->status = 1;
	}
	job_ctx_release(&j);
	free(jobname);
	return 0;
}
