/* registry.c — the table of built-in job types and the helpers their code shares. */
#include "jobtypes/jobtypes.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "config.h"

static const char *const statuses[] = { "Published", "Draft", NULL };

static const jobparam import_params[] = {
	{ "file", PARAM_FILE, true, 0, 0, NULL },
	{ NULL, 0, false, 0, 0, NULL },
};
static const jobparam pub_params[] = {
	{ "status", PARAM_CHOICE, true, 0, 0, statuses },
	{ "descendants", PARAM_FLAG, false, 0, 0, NULL },
	{ NULL, 0, false, 0, 0, NULL },
};
static const jobparam move_params[] = {
	{ "parent", PARAM_TEXT, true, 0, 0, NULL },
	{ NULL, 0, false, 0, 0, NULL },
};
static const jobparam command_params[] = {
	{ "task", PARAM_NAME, true, 0, 0, NULL },
	{ NULL, 0, false, 0, 0, NULL },
};
static const jobparam sleep_params[] = {
	{ "seconds", PARAM_NUMBER, false, 0, 86400, NULL },
	{ "lines", PARAM_INT, false, 0, 1000000, NULL },
	{ "fail", PARAM_FLAG, false, 0, 0, NULL },
	{ NULL, 0, false, 0, 0, NULL },
};
static const char *const fa_formats[] = { "rtf", "pdf", NULL };
static const jobparam fa_params[] = {
	{ "format", PARAM_CHOICE, false, 0, 0, fa_formats },
	{ NULL, 0, false, 0, 0, NULL },
};
static const char *const rights_modes[] = { "replace", "add", NULL };
static const jobparam rights_params[] = {
	{ "mode", PARAM_CHOICE, false, 0, 0, rights_modes },
	{ "batch", PARAM_INT, false, 1, 100000, NULL },
	{ NULL, 0, false, 0, 0, NULL },
};
static const char *const report_kinds[] = { "file-list", "item-list", "storage-locations", "box-labels", NULL };
static const char *const report_formats[] = { "html", "csv", NULL };
static const jobparam report_params[] = {
	{ "kind", PARAM_CHOICE, true, 0, 0, report_kinds },
	{ "format", PARAM_CHOICE, false, 0, 0, report_formats },
	{ NULL, 0, false, 0, 0, NULL },
};
static const jobparam none[] = { { NULL, 0, false, 0, 0, NULL } };

const jobtype jobtypes[] = {
	{ "csv-import", "Import CSV", true, false, import_params, jobtype_csv_import,
	  "--object PARENT --param file=PATH: records from a CSV (identifier,title[,level][,publication_status]"
	  "[,dates][,container...][,rights_...])" },
	{ "csv-export", "Export CSV", true, false, none, jobtype_csv_export,
	  "--object ID: the record and its descendants as a CSV file" },
	{ "finding-aid", "Generate finding aid", true, false, fa_params, jobtype_finding_aid,
	  "--object ID [--param format=rtf|pdf]: a finding aid of the record's hierarchy (RTF by default)" },
	{ "publication-status", "Update publication status", true, false, pub_params,
	  jobtype_publication_status,
	  "--object ID --param status=Published|Draft [--param descendants=1]" },
	{ "move", "Move description", true, false, move_params, jobtype_move,
	  "--object ID --param parent=ID|IDENTIFIER: moves the record under a new parent" },
	{ "rights-inherit", "Inherit rights", true, false, rights_params, jobtype_rights_inherit,
	  "--object ID [--param mode=replace|add] [--param batch=N]: the record's rights statements"
	  " copied to all its descendants" },
	{ "report", "Generate report", true, false, report_params, jobtype_report,
	  "--object ID --param kind=file-list|item-list|storage-locations|box-labels [--param format=html|csv]:"
	  " a report of the record and its descendants" },
	{ "command", "Run task", false, true, command_params, jobtype_command,
	  "--param task=NAME [--param KEY=VALUE]...: a task of the worker's task file" },
	{ "sleep", "Sleep", false, false, sleep_params, jobtype_sleep,
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

const jobparam *jobtype_param(const jobtype *t, const char *name)
{
	for (const jobparam *p = t->params; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

const jobparam *jobtype_file_param(const jobtype *t)
{
	for (const jobparam *p = t->params; p->name; p++)
		if (p->kind == PARAM_FILE)
			return p;
	return NULL;
}

/* ==== checking parameters ==== */

static const char *const kind_names[] = {
	[PARAM_TEXT] = "text", [PARAM_NAME] = "name", [PARAM_INT] = "int", [PARAM_NUMBER] = "number",
	[PARAM_FLAG] = "flag", [PARAM_CHOICE] = "choice", [PARAM_FILE] = "file",
};

static bool is_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
			return false;
	return true;
}

static bool flag_word(const char *v, bool *on)
{
	static const char *const yes[] = { "1", "true", "yes" }, *const no[] = { "0", "false", "no" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *on = true;
		if (strcasecmp(v, no[i]) == 0) {
			*on = false;
			return true;
		}
	}
	return false;
}

/* The same grammar as db/050's job_check: -?digits, or -?digits.digits, -?.digits */
static bool number_text(const char *s, bool whole, double *out)
{
	const char *p = s + (*s == '-');
	size_t digits = strspn(p, "0123456789");
	const char *q = p + digits;
	if (!whole && *q == '.') {
		size_t frac = strspn(q + 1, "0123456789");
		if (digits + frac == 0)
			return false;
		q += 1 + frac;
	} else if (digits == 0 || (whole && digits > 18)) {
		return false;
	}
	if (*q)
		return false;
	*out = strtod(s, NULL);
	return true;
}

static int check_value(const jobparam *p, const char *v, char *err, size_t errlen)
{
	double x;
	bool on;
	switch (p->kind) {
	case PARAM_TEXT:
	case PARAM_FILE:
		if (!*v)
			break;
		return 0;
	case PARAM_NAME:
		if (!is_name(v))
			break;
		return 0;
	case PARAM_FLAG:
		if (!flag_word(v, &on))
			break;
		return 0;
	case PARAM_CHOICE:
		for (const char *const *c = p->choices; *c; c++)
			if (strcasecmp(v, *c) == 0)
				return 0;
		break;
	case PARAM_INT:
	case PARAM_NUMBER:
		if (!number_text(v, p->kind == PARAM_INT, &x))
			break;
		if (x < p->min || x > p->max) {
			snprintf(err, errlen, "%s must be from %g to %g, not '%s'", p->name, p->min, p->max, v);
			return -1;
		}
		return 0;
	}
	switch (p->kind) {
	case PARAM_INT: snprintf(err, errlen, "%s must be a whole number, not '%s'", p->name, v); break;
	case PARAM_NUMBER: snprintf(err, errlen, "%s must be a number, not '%s'", p->name, v); break;
	case PARAM_FLAG: snprintf(err, errlen, "%s must be 1 or 0 (true/false, yes/no), not '%s'", p->name, v); break;
	case PARAM_NAME:
		snprintf(err, errlen, "%s must be 1 to 64 letters, digits, '.', '_' or '-', not '%s'", p->name, v);
		break;
	case PARAM_CHOICE: {
		strbuf sb = STRBUF_INIT;
		for (const char *const *c = p->choices; *c; c++)
			sb_addf(&sb, "%s%s", c == p->choices ? "" : " or ", *c);
		snprintf(err, errlen, "%s must be %s, not '%s'", p->name, sb.buf, v);
		sb_release(&sb);
		break;
	}
	default: snprintf(err, errlen, "%s must not be empty", p->name); break;
	}
	return -1;
}

int jobtype_check(const jobtype *t, const job_params *p, int64_t object, char *err, size_t errlen)
{
	if (t->needs_object && object <= 0) {
		snprintf(err, errlen, "%s needs --object ID", t->name);
		return -1;
	}
	for (size_t i = 0; i < p->n; i++) {
		const char *key = p->keys[i];
		if (!is_name(key)) {
			snprintf(err, errlen, "parameter name '%s' must be 1 to 64 letters, digits, '.', '_' or '-'", key);
			return -1;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(p->keys[k], key) == 0) {
				snprintf(err, errlen, "--param %s is given twice", key);
				return -1;
			}
		if (strlen(p->vals[i]) > 4096) {
			snprintf(err, errlen, "--param %s is longer than 4096 characters", key);
			return -1;
		}
		const jobparam *d = jobtype_param(t, key);
		if (!d && !t->open_params) {
			snprintf(err, errlen, "%s does not take the parameter '%s'", t->name, key);
			return -1;
		}
		if (d && check_value(d, p->vals[i], err, errlen) < 0)
			return -1;
	}
	for (const jobparam *d = t->params; d->name; d++)
		if (d->required && !job_params_get(p, d->name)) {
			snprintf(err, errlen, "%s needs --param %s=...", t->name, d->name);
			return -1;
		}
	return 0;
}

int jobtype_resolve(const char *name, const tasks *t, job_params *p, int64_t object, jobtype_ref *out,
		    char *err, size_t errlen)
{
	out->type = jobtype_find(name);
	out->task = NULL;
	if (!out->type) {
		if (!(out->task = tasks_find(t, name))) {
			snprintf(err, errlen, "unknown job type '%s' (no built-in type or configured task has that name)", name);
			return -1;
		}
		if (job_params_get(p, "task")) {
			snprintf(err, errlen, "%s is a task: --param task=... goes only with the command type", name);
			return -1;
		}
		out->type = jobtype_find("command");
		job_params_add(p, "task", 4, name);
	}
	if (jobtype_check(out->type, p, object, err, errlen) < 0)
		return -1;
	const char *named = out->type->open_params ? job_params_get(p, "task") : NULL;
	if (named && !out->task && !(out->task = tasks_find(t, named))) {
		snprintf(err, errlen, "no task '%s' in %s", named, config_tasks_file());
		return -1;
	}
	for (size_t i = 0; out->task && i < p->n; i++)
		if (strcmp(p->keys[i], "task") != 0 && !task_accepts(out->task, p->keys[i])) {
			snprintf(err, errlen, "%s does not take the parameter '%s'", out->task->name, p->keys[i]);
			return -1;
		}
	return 0;
}

bool job_flag(const job_ctx *j, const char *key)
{
	const char *v = job_param(j, key);
	bool on = false;
	return v && flag_word(v, &on) && on;
}

/* ==== the registry in the database ==== */

static int sync_param(db *d, const jobtype *t, const jobparam *p)
{
	char lo[32], hi[32];
	strbuf choices = STRBUF_INIT;
	bool number = p->kind == PARAM_INT || p->kind == PARAM_NUMBER;
	snprintf(lo, sizeof lo, "%.17g", p->min);
	snprintf(hi, sizeof hi, "%.17g", p->max);
	if (p->choices) {
		/* choices are plain words: no quoting needed in the array literal */
		sb_addc(&choices, '{');
		for (const char *const *c = p->choices; *c; c++)
			sb_addf(&choices, "%s%s", c == p->choices ? "" : ",", *c);
		sb_addc(&choices, '}');
	}
	const char *v[] = { t->name, p->name, kind_names[p->kind], p->required ? "t" : "f",
			    number ? lo : NULL, number ? hi : NULL, choices.buf };
	int rc = db_exec(d, "INSERT INTO jobdeck.job_type_params (type, name, kind, required, min, max, choices)"
			    " VALUES ($1, $2, $3, $4::boolean, $5::numeric, $6::numeric, $7::text[])",
			 7, v, NULL);
	sb_release(&choices);
	return rc;
}

int jobtypes_sync(db *d)
{
	if (db_exec(d, "BEGIN", 0, NULL, NULL) < 0)
		return -1;
	int rc = db_exec(d, "DELETE FROM jobdeck.job_types", 0, NULL, NULL);
	for (size_t i = 0; rc == 0 && i < jobtypes_count; i++) {
		const jobtype *t = &jobtypes[i];
		const char *v[] = { t->name, t->needs_object ? "t" : "f", t->open_params ? "t" : "f" };
		rc = db_exec(d, "INSERT INTO jobdeck.job_types (name, needs_object, open_params)"
				" VALUES ($1, $2::boolean, $3::boolean)", 3, v, NULL);
		for (const jobparam *p = t->params; rc == 0 && p->name; p++)
			rc = sync_param(d, t, p);
	}
	if (rc == 0)
		return db_exec(d, "COMMIT", 0, NULL, NULL);
	char msg[600];
	snprintf(msg, sizeof msg, "%s", db_error(d));
	db_exec(d, "ROLLBACK", 0, NULL, NULL);
	db_set_error(d, DB_FAIL_QUERY, "job types: %s", msg);
	return -1;
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
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	runner_write(j->out, s, strlen(s));
	free(s);
}

static void note_v(job_ctx *j, const char *fmt, va_list ap)
{
	char *s = xvasprintf(fmt, ap);
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

const char *job_download_name(const job_ctx *j)
{
	const char *b = j->download_path ? strrchr(j->download_path, '/') : NULL;
	return b ? b + 1 : j->download_path ? j->download_path : "";
}

void job_size_text(int64_t bytes, char *out, size_t n)
{
	fmt_size(bytes, out, n);
}

int job_record(job_ctx *j, int64_t id, char **identifier, char **title)
{
	const char *p[] = { DB_INT(id) };
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
