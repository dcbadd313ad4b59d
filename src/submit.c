/* submit.c — see submit.h. */
#include "submit.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "queue.h"
#include "util.h"

#define INPUT_CHUNK (256 * 1024)

void submission_init(submission *s)
{
	memset(s, 0, sizeof *s);
	s->count = 1;
	s->input = -1;
}

void submission_release(submission *s)
{
	job_params_release(&s->params);
	if (s->input >= 0)
		close(s->input);
	s->input = -1;
}

int submission_check(submission *s, const tasks *t, const char *ns, char *err, size_t errlen)
{
	if (!tasks_valid_name(ns)) {
		snprintf(err, errlen, "JOBDECK_NAMESPACE '%s' must be letters, digits, '.', '_' or '-'", ns);
		return -1;
	}
	if (jobtype_resolve(s->type, t, &s->params, s->object, &s->ref, err, errlen) < 0)
		return -1;
	const jobparam *fp = jobtype_file_param(s->ref.type);
	s->input_path = fp ? job_params_get(&s->params, fp->name) : NULL;
	if (s->input_path && s->count > 1) {
		snprintf(err, errlen, "--count cannot go with a file (--param %s)", fp->name);
		return -1;
	}
	s->ns = ns;
	queue_route(s->ref.type->name, s->ref.task ? s->ref.task->name : NULL, s->route, sizeof s->route);
	queue_function(ns, s->route, s->fn, sizeof s->fn);
	return 0;
}

int submission_open_input(submission *s, char *err, size_t errlen)
{
	struct stat st;
	if (!s->input_path)
		return 0;
	s->input = open(s->input_path, O_RDONLY | O_CLOEXEC);
	if (s->input < 0 || fstat(s->input, &st) < 0) {
		snprintf(err, errlen, "cannot read %s: %s", s->input_path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", s->input_path);
		return -1;
	}
	s->input_size = (int64_t)st.st_size;
	return 0;
}

const char *submission_name(const submission *s)
{
	if (s->name)
		return s->name;
	if (s->ref.task)
		return s->ref.task->description ? s->ref.task->description : s->ref.task->name;
	return s->ref.type->title;
}

void submit_probe_run(const submission *s, const char *servers, submit_probe *p)
{
	queue_fstat fst;
	p->error[0] = '\0';
	p->reachable = queue_status_of(servers, s->fn, 2000, &fst, p->error, sizeof p->error) == 0;
	p->no_worker = p->reachable && fst.workers == 0;
}

/* ==== recording ==== */


/* The parameters as a JSON object (a key given twice: the last value); caller frees. */
static char *params_json(const job_params *p)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; i < p->n; i++)
		json_object_object_add(o, p->keys[i], json_object_new_string(p->vals[i]));
	char *t = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return t;
}

/* Streams the input file into job id, in the transaction that recorded it; at least one
 * call, so an empty file is stored as empty. */
static int upload(db *d, int64_t id, submission *s)
{
	unsigned char *buf = xmalloc(INPUT_CHUNK);
	int rc = 0;
	for (bool first = true;; first = false) {
		ssize_t n = read(s->input, buf, INPUT_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			db_set_error(d, DB_FAIL_QUERY, "cannot read %s: %s", s->input_path, strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0 && !first)
			break;
		if ((rc = jobs_input_append(d, id, buf, (size_t)n)) < 0 || n == 0)
			break;
	}
	free(buf);
	return rc;
}

/* A failure to record, in words a submitter understands. */
static int record_failed(db *d, const submission *s)
{
	if (db_failure(d) == DB_FAIL_QUERY && strstr(db_error(d), "violates foreign key"))
		db_set_error(d, DB_FAIL_NOTFOUND, "record %lld does not exist", (long long)s->object);
	return -1;
}

int submit_prepare(db *d, submission *s, const char *servers, submit_probe *p)
{
	char *params = params_json(&s->params);
	job_new jn = { submission_name(s), s->ref.type->name, params, s->object, s->ns };
	/* a new session's first INSERT into jobs costs a few ms of server time: spent here,
	 * while gearmand is asked, not inside the transaction that records the job */
	int rc = jobs_submit_check_begin(d, &jn);
	submit_probe_run(s, servers, p);
	if (rc == 0)
		rc = jobs_submit_check_end(d);
	free(params);
	return rc < 0 ? record_failed(d, s) : 0;
}

int submit_record(db *d, submission *s, const submit_probe *p, size_t n, int64_t *ids)
{
	char *params = params_json(&s->params);
	job_new jn = { submission_name(s), s->ref.type->name, params, s->object, s->ns };
	int rc = 0;
	if (s->input >= 0) {
		int64_t max;
		if (jobs_input_max(d, &max) < 0) {
			rc = -1;
		} else if (s->input_size > max) {
			db_set_error(d, DB_FAIL_QUERY, "%s is %lld bytes; input files may have up to %lld (settings.input_max_bytes)",
				     s->input_path, (long long)s->input_size, (long long)max);
			rc = -1;
		} else {
			rc = db_exec(d, "BEGIN", 0, NULL, NULL);
		}
	}
	if (rc == 0)
		rc = jobs_submit(d, &jn, n, p->no_worker, ids);
	if (rc == 0 && s->input >= 0 && (upload(d, ids[0], s) < 0 || db_exec(d, "COMMIT", 0, NULL, NULL) < 0))
		rc = -1;
	if (rc < 0 && s->input >= 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "%s", db_error(d));
		enum db_fail kind = db_failure(d);
		db_exec(d, "ROLLBACK", 0, NULL, NULL);
		db_set_error(d, kind, "%s", msg);
	}
	free(params);
	return rc < 0 ? record_failed(d, s) : 0;
}
