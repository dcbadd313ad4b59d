/* registry.c — the table of built-in job types and the helpers their code shares. */
#include "jobtypes/jobtypes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"

static const char *const sleep_params[] = { "seconds", "lines", "fail", NULL };
static const char *const import_params[] = { "file", NULL };
static const char *const export_params[] = { NULL };
static const char *const aid_params[] = { NULL };
static const char *const pub_params[] = { "status", "descendants", NULL };
static const char *const pub_required[] = { "status", NULL };
static const char *const move_params[] = { "parent", NULL };
static const char *const command_params[] = { "task", NULL };
static const char *const none[] = { NULL };

const jobtype jobtypes[] = {
	{ "csv-import", "Import CSV", true, import_params, import_params, jobtype_csv_import,
	  "--object PARENT --param file=PATH: records from a CSV (identifier,title[,level][,publication_status])" },
	{ "csv-export", "Export CSV", true, export_params, none, jobtype_csv_export,
	  "--object ID: the record and its descendants as a CSV file" },
	{ "finding-aid", "Generate finding aid", true, aid_params, none, jobtype_finding_aid,
	  "--object ID: an RTF finding aid of the record's hierarchy" },
	{ "publication-status", "Update publication status", true, pub_params, pub_required,
	  jobtype_publication_status,
	  "--object ID --param status=Published|Draft [--param descendants=1]" },
	{ "move", "Move description", true, move_params, move_params, jobtype_move,
	  "--object ID --param parent=ID|IDENTIFIER: moves the record under a new parent" },
	{ "command", "Run task", false, command_params, command_params, jobtype_command,
	  "--param task=NAME [--param KEY=VALUE]...: a task of the worker's task file" },
	{ "sleep", "Sleep", false, sleep_params, none, jobtype_sleep,
	  "[--param seconds=N] [--param lines=N] [--param fail=1]: a test job" },
};
const size_t jobtypes_count = ARRAY_SIZE(jobtypes);

const jobtype *jobtype_find(const char *name)
{
	for (size_t i = 0; i < jobtypes_count; i++)
		if (strcmp(jobtypes[i].name, name) == 0)
			return &jobtypes[i];
	return NULL;
}

bool jobtype_accepts(const jobtype *t, const char *param)
{
	if (strcmp(t->name, "command") == 0)
		return true;    /* the task decides */
	for (const char *const *p = t->params; *p; p++)
		if (strcmp(*p, param) == 0)
			return true;
	return false;
}

/* ==== the job context ==== */

void job_ctx_init(job_ctx *j, db *d, const job_claim *job, runner *out, const tasks *t)
{
	memset(j, 0, sizeof *j);
	j->d = d;
	j->job = job;
	j->out = out;
	j->tasks = t;
	sb_init(&j->note);
}

void job_ctx_release(job_ctx *j)
{
	sb_release(&j->note);
	free(j->download_path);
	j->download_path = NULL;
}

const char *job_cancelled(job_ctx *j)
{
	return j->out && runner_cancelled(j->out, j->cancelled_by, sizeof j->cancelled_by) ? j->cancelled_by : NULL;
}

const char *job_param(const job_ctx *j, const char *key)
{
	return job_claim_param(j->job, key);
}

void job_write(job_ctx *j, const void *data, size_t n)
{
	runner_write(j->out, data, n);
}

void job_printf(job_ctx *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fputs("jobdeck: out of memory\n", stderr);
		exit(1);
	}
	runner_write(j->out, s, (size_t)n);
	free(s);
}

static void note_v(job_ctx *j, const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("jobdeck: out of memory\n", stderr);
		exit(1);
	}
	sb_reset(&j->note);
	sb_adds(&j->note, s);
	free(s);
}

void job_note(job_ctx *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	note_v(j, fmt, ap);
	va_end(ap);
}

int job_fail(job_ctx *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	note_v(j, fmt, ap);
	va_end(ap);
	job_printf(j, "%s\n", j->note.buf);
	return -1;
}

char *job_file_path(const job_ctx *j, const char *stem, const char *ext)
{
	return xasprintf("%s/%s-%lld.%s", config_downloads_dir(), stem, (long long)j->job->id, ext);
}

int job_set_download(job_ctx *j, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	free(j->download_path);
	j->download_path = xstrdup(path);
	j->download_size = (int64_t)st.st_size;
	return 0;
}

void job_size_text(int64_t bytes, char *out, size_t n)
{
	fmt_size(bytes, out, n);
}

int job_record(job_ctx *j, int64_t id, char **identifier, char **title)
{
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	const char *p[] = { ids };
	db_res *r;
	*identifier = *title = NULL;
	if (db_exec(j->d, "SELECT identifier, title FROM jobdeck.records WHERE id = $1::bigint", 1, p, &r) < 0)
		return job_fail(j, "Could not read record %lld: %s", (long long)id, db_error(j->d));
	if (db_rows(r) == 0) {
		db_res_free(r);
		return job_fail(j, "Record %lld does not exist", (long long)id);
	}
	*identifier = db_dup(r, 0, 0);
	*title = db_dup(r, 0, 1);
	db_res_free(r);
	return 0;
}
