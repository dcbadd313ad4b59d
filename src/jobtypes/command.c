/* command.c — external commands: the `command` job type (a task of the worker's task file)
 * and the process plumbing `jobdeck run` shares with it.
 *
 * The command runs directly (execve), never through a shell; job parameters reach it only as
 * whole arguments and environment variables. Its environment is a clean one: PATH, HOME,
 * LANG, LC_ALL, TZ and TMPDIR from the worker, then JOBDECK_JOB_ID, JOBDECK_TASK,
 * JOBDECK_OBJECT_ID, JOBDECK_OUTPUT, JOBDECK_PARAM_<NAME> for each parameter, then the task's
 * env lines. The worker's database settings are not passed on. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jobtypes/jobtypes.h"

#define READ_CHUNK (64 * 1024)
#define STOP_GRACE (5 * 1000 * 1000)   /* µs from SIGTERM to SIGKILL for a cancelled command */

void jobtype_status_text(int status, char *out, size_t n)
{
	if (WIFEXITED(status))
		snprintf(out, n, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, n, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(out, n, "ended with wait status %d", status);
}

static void write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;    /* a closed terminal must not stop the job */
		p += w;
		n -= (size_t)w;
	}
}

/* In the child, between fork and execve: only async-signal-safe calls. Never returns. */
static void exec_child(const char *path, char *const argv[], char *const envp[], int out, pid_t parent,
		       bool own_group)
{
	if (own_group)
		setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	static const int sigs[] = { SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD };
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int in = open("/dev/null", O_RDONLY);
	if (in >= 0 && in != 0) {
		dup2(in, 0);
		close(in);
	}
	dup2(out, 1);
	dup2(out, 2);
	execve(path, argv, envp);
	static const char msg[] = "jobdeck: cannot run the command: ";
	const char *why = strerror(errno);
	write(2, msg, sizeof msg - 1);
	write(2, path, strlen(path));
	write(2, ": ", 2);
	write(2, why, strlen(why));
	write(2, "\n", 1);
	_exit(127);
}

/* A piece of the command's output: into the job's console output, and to tee_fd. */
static void pass_on(job_ctx *j, const unsigned char *buf, size_t n, int tee_fd)
{
	job_write(j, buf, n);
	if (tee_fd >= 0)
		write_all(tee_fd, buf, n);
}

/* Stops the command of a cancelled job: SIGTERM, then SIGKILL after STOP_GRACE. The line
 * that says so starts a line of its own (line_start: the output so far ends one). */
static void stop_if_cancelled(job_ctx *j, pid_t target, jd_time *stop_at, bool line_start)
{
	if (!job_cancelled(j))
		return;
	if (!*stop_at) {
		*stop_at = jd_now();
		job_printf(j, "%sjobdeck: cancelled by %s; stopping the command\n", line_start ? "" : "\n",
			   job_cancelled(j));
		kill(target, SIGTERM);
	} else if (jd_now() - *stop_at > STOP_GRACE) {
		kill(target, SIGKILL);
	}
}

/* Reads the command's output until it closes its end, or until it has ended while something
 * it started keeps the pipe open. Returns the wait status, or -1 when not reaped yet. */
static int pump(job_ctx *j, int fd, pid_t pid, int tee_fd, bool own_group)
{
	unsigned char *buf = xmalloc(READ_CHUNK);
	int status = -1;
	jd_time stop_at = 0;    /* when the job was cancelled and the command told to stop */
	bool line_start = true;
	for (;;) {
		stop_if_cancelled(j, own_group ? -pid : pid, &stop_at, line_start);
		struct pollfd p = { fd, POLLIN, 0 };
		int r = poll(&p, 1, 250);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0) {
			ssize_t n = read(fd, buf, READ_CHUNK);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0)
				break;
			pass_on(j, buf, (size_t)n, tee_fd);
			line_start = buf[n - 1] == '\n';
			continue;
		}
		/* quiet: has the command ended while something it started keeps the pipe open? */
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			status = st;
			fcntl(fd, F_SETFL, O_NONBLOCK);
			ssize_t n;
			while ((n = read(fd, buf, READ_CHUNK)) > 0)
				pass_on(j, buf, (size_t)n, tee_fd);
			break;
		}
	}
	free(buf);
	return status;
}

int jobtype_spawn(job_ctx *j, const char *path, char *const argv[], char *const envp[], int tee_fd,
		  bool own_group)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		job_note(j, "Could not start %s: %s", path, strerror(errno));
		return -1;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		job_note(j, "Could not start %s: %s", path, strerror(errno));
		return -1;
	}
	if (pid == 0)
		exec_child(path, argv, envp, pfd[1], parent, own_group);
	close(pfd[1]);
	int status = pump(j, pfd[0], pid, tee_fd, own_group);
	close(pfd[0]);
	while (status == -1) {
		int st;
		if (waitpid(pid, &st, 0) == pid)
			status = st;
		else if (errno != EINTR)
			break;
	}
	return status == -1 ? 0 : status;
}

/* ==== the command job type ==== */

struct expand_ctx {
	const job_ctx *j;
	const char *output;
	char ids[24], objs[24];
};

static const char *lookup(void *ctx, const char *name)
{
	struct expand_ctx *e = ctx;
	if (strcmp(name, "job") == 0)
		return e->ids;
	if (strcmp(name, "object") == 0)
		return e->j->job->object_id ? e->objs : NULL;
	if (strcmp(name, "output") == 0)
		return e->output;
	return job_param(e->j, name);
}

static void push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 2) * sizeof **v);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

static void free_vec(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void env_name(const char *key, strbuf *out)
{
	sb_adds(out, "JOBDECK_PARAM_");
	for (const char *p = key; *p; p++)
		sb_addc(out, isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_');
}

/* Expands one args or env template of task `name` and appends it to *v. -1 with the job
 * failed when the template names something the job does not have. */
static int push_expanded(job_ctx *j, const char *name, const char *tmpl, struct expand_ctx *e,
			 char ***v, size_t *n)
{
	strbuf w = STRBUF_INIT;
	char missing[128];
	if (tasks_expand(tmpl, lookup, e, &w, missing, sizeof missing) < 0) {
		sb_release(&w);
		return job_fail(j, "Task '%s' needs %s", name,
				strcmp(missing, "object") == 0 ? "a related record (--object)" : missing);
	}
	push(v, n, sb_detach(&w));
	return 0;
}

/* The command's environment: a few of the worker's variables, the job's, its parameters,
 * then the task's env lines. -1 with the job failed when a line names what the job lacks. */
static int build_env(job_ctx *j, const task *t, struct expand_ctx *e, char ***envp, size_t *envc)
{
	static const char *const keep[] = { "PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR" };
	for (size_t i = 0; i < ARRAY_SIZE(keep); i++) {
		const char *v = getenv(keep[i]);
		if (v)
			push(envp, envc, xasprintf("%s=%s", keep[i], v));
		else if (strcmp(keep[i], "PATH") == 0)
			push(envp, envc, xstrdup("PATH=/usr/local/bin:/usr/bin:/bin"));
	}
	push(envp, envc, xasprintf("JOBDECK_JOB_ID=%s", e->ids));
	push(envp, envc, xasprintf("JOBDECK_TASK=%s", t->name));
	push(envp, envc, xasprintf("JOBDECK_OUTPUT=%s", e->output));
	if (j->job->object_id)
		push(envp, envc, xasprintf("JOBDECK_OBJECT_ID=%s", e->objs));
	const job_params *p = &j->job->params;
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->keys[i], "task") == 0)
			continue;
		strbuf v = STRBUF_INIT;
		env_name(p->keys[i], &v);
		sb_addc(&v, '=');
		sb_adds(&v, p->vals[i]);
		push(envp, envc, sb_detach(&v));
	}
	for (size_t i = 0; i < t->nenv; i++)
		if (push_expanded(j, t->name, t->env[i], e, envp, envc) < 0)
			return -1;
	return 0;
}

/* The job's end from the command's wait status, with the file it wrote as its download. */
static int finish(job_ctx *j, const task *t, const char *output, int st)
{
	struct stat sst;
	if (stat(output, &sst) == 0 && sst.st_size > 0)
		job_set_download(j, output);
	else
		unlink(output);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char how[96];
		jobtype_status_text(st, how, sizeof how);
		job_note(j, "Task %s %s", t->name, how);
		return -1;
	}
	if (j->download_path) {
		char size[32];
		job_size_text(j->download_size, size, sizeof size);
		job_note(j, "Task %s completed; wrote %s (%s)", t->name, job_download_name(j), size);
	} else {
		job_note(j, "Task %s completed", t->name);
	}
	return 0;
}

int jobtype_command(job_ctx *j)
{
	const char *name = job_param(j, "task");
	if (!name)
		return job_fail(j, "No task named: the command type needs --param task=NAME");
	const task *t = j->tasks ? tasks_find(j->tasks, name) : NULL;
	if (!t)
		return job_fail(j, "Task '%s' is not in this worker's task file", name);
	const job_params *p = &j->job->params;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->keys[i], "task") != 0 && !task_accepts(t, p->keys[i]))
			return job_fail(j, "Task '%s' does not accept the parameter '%s'", name, p->keys[i]);

	struct expand_ctx e = { j, NULL, "", "" };
	char *output = job_file_path(j, name, "out");
	e.output = output;
	snprintf(e.ids, sizeof e.ids, "%lld", (long long)j->job->id);
	snprintf(e.objs, sizeof e.objs, "%lld", (long long)j->job->object_id);
	char **argv = NULL, **envp = NULL;
	size_t argc = 0, envc = 0;
	int rc = -1;
	push(&argv, &argc, xstrdup(t->command));
	for (size_t i = 0; i < t->nargs; i++)
		if (push_expanded(j, name, t->args[i], &e, &argv, &argc) < 0)
			goto out;
	if (build_env(j, t, &e, &envp, &envc) < 0)
		goto out;
	unlink(output);
	int st = jobtype_spawn(j, t->command, argv, envp, -1, true);
	if (st == -1 && j->note.len)
		job_printf(j, "%s\n", j->note.buf);
	else
		rc = finish(j, t, output, st);
out:
	free_vec(argv, argc);
	free_vec(envp, envc);
	free(output);
	return rc;
}
