/* jobtypes.h — the built-in job types, declared once as a table, and what a type's code
 * may use while it runs: its parameters, its console output, its closing note, its file.
 *
 * A type's run function returns 0 for Completed or -1 for Error, with the closing note set
 * (job_note / job_fail). Files a job produces are written in the downloads folder
 * (job_file_path), the worker's scratch space; when the job ends the worker stores the file
 * in the database (db/054), where its user downloads it from any machine, and removes it. */
#ifndef JOBDECK_JOBTYPES_H
#define JOBDECK_JOBTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "jobs_worker.h"
#include "runner.h"
#include "tasks.h"
#include "util.h"

typedef struct job_ctx {
	db *d;                   /* the job's own connection (a worker role) */
	const job_claim *job;
	runner *out;             /* console output */
	const tasks *tasks;      /* the worker's task file */
	strbuf note;             /* the closing note */
	char *download_path;     /* a file the job produced, in the downloads folder */
	int64_t download_size;
	char cancelled_by[64];   /* see job_cancelled */
} job_ctx;

void job_ctx_init(job_ctx *j, db *d, const job_claim *job, runner *out, const tasks *t);
void job_ctx_release(job_ctx *j);

const char *job_param(const job_ctx *j, const char *key);   /* NULL when not given */
void job_write(job_ctx *j, const void *data, size_t n);
void job_printf(job_ctx *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the closing note (replacing any earlier one). */
void job_note(job_ctx *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the closing note, writes it to the console too, and returns -1 (for `return job_fail`). */
int job_fail(job_ctx *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Who asked to cancel the job, or NULL. A type that can stop part way checks it now and then
 * and returns job_fail(j, "Cancelled by %s", who); a command is stopped by jobtype_spawn. */
const char *job_cancelled(job_ctx *j);
/* A path in the downloads folder for this job's file: "<stem>-<job id>.<ext>". Caller frees. */
char *job_file_path(const job_ctx *j, const char *stem, const char *ext);
/* Records path as the job's download with its current size. 0, or -1 when it cannot be read.
 * The worker stores it in the database when the job ends and removes it (db/054). */
int job_set_download(job_ctx *j, const char *path);
/* The download's name without its folder ("<stem>-<id>.<ext>"), as it is stored and shown:
 * for notes. */
const char *job_download_name(const job_ctx *j);
/* Formats "12.3 kB"-style sizes for notes. */
void job_size_text(int64_t bytes, char *out, size_t n);

/* Reads a record's identifier and title ("F-001", "Harbour ...") for notes. 0, -1 when the
 * record does not exist (note already set) or the database failed (note set). */
int job_record(job_ctx *j, int64_t id, char **identifier, char **title);

/* A record ($1) and its descendants as CTE t (id, parent_id, identifier, title, level,
 * publication_status, depth, path); ORDER BY t.path lists parents before children. With
 * JOBTYPES_TREE(cond), descendants only while the SQL condition cond holds. */
#define JOBTYPES_TREE_SQL JOBTYPES_TREE("true")
#define JOBTYPES_TREE(cond) \
	"WITH RECURSIVE t AS (" \
	"  SELECT id, parent_id, identifier, title, level, publication_status, 0 AS depth," \
	"         ARRAY[identifier] AS path" \
	"    FROM jobdeck.records WHERE id = $1::bigint" \
	"  UNION ALL" \
	"  SELECT r.id, r.parent_id, r.identifier, r.title, r.level, r.publication_status, t.depth + 1," \
	"         t.path || r.identifier" \
	"    FROM jobdeck.records r JOIN t ON r.parent_id = t.id" \
	"   WHERE (" cond ") AND r.identifier <> ALL (t.path))"

/* A download made from the job's record and its descendants (csv-export, finding-aid). */
typedef struct tree_file {
	FILE *f;
	int64_t rows;
	const char *identifier, *title;   /* the top record, for the hooks */
} tree_file;

/* Writes the job's download "<stem>-<job id>.<ext>": head (or NULL) writes the start, each
 * row of JOBTYPES_TREE_SQL followed by `select` streams to row (ctx: the tree_file), tail (or
 * NULL) writes the end. The file is written beside its name and moved there only when whole,
 * then recorded as the job's download. 0 with *path set (caller frees) and t->rows counted,
 * or -1 with the job failed and nothing left behind. */
int job_tree_file(job_ctx *j, const char *stem, const char *ext, const char *select,
		  void (*head)(tree_file *t), db_row_fn row, void (*tail)(tree_file *t), tree_file *t,
		  char **path);

typedef int (*jobtype_fn)(job_ctx *j);

/* What a parameter's value may be. The database checks the same rules (db/050) from the
 * table jobtypes_sync writes, so a job submitted with psql is held to them too. */
typedef enum jobparam_kind {
	PARAM_TEXT,      /* any text that is not empty */
	PARAM_NAME,      /* 1 to 64 letters, digits, '.', '_' or '-' */
	PARAM_INT,       /* a whole number in [min, max] */
	PARAM_NUMBER,    /* a decimal number in [min, max] */
	PARAM_FLAG,      /* 0, 1, true, false, yes or no (any case) */
	PARAM_CHOICE,    /* one of choices (any case) */
	PARAM_FILE,      /* a file the submitting client reads and stores with the job; a type
			  * has one at most, named "file" (db/050 looks for that name) */
} jobparam_kind;

typedef struct jobparam {
	const char *name;
	jobparam_kind kind;
	bool required;
	double min, max;                /* PARAM_INT, PARAM_NUMBER */
	const char *const *choices;     /* PARAM_CHOICE: NULL-terminated */
} jobparam;

typedef struct jobtype {
	const char *name;            /* the TYPE of `jobdeck submit TYPE` */
	const char *title;           /* the job name when none is given */
	bool needs_object;           /* --object is required */
	bool open_params;            /* runs the task its task parameter names, which decides
				      * what other parameters it takes (the command type) */
	const jobparam *params;      /* its parameters, ended by one with a NULL name */
	jobtype_fn run;
	const char *help;            /* one line for `jobdeck submit --help` */
} jobtype;

extern const jobtype jobtypes[];
extern const size_t jobtypes_count;
const jobtype *jobtype_find(const char *name);
/* The parameter of t named name, or NULL. */
const jobparam *jobtype_param(const jobtype *t, const char *name);
/* The parameter of t that is a file (PARAM_FILE), or NULL; a type has one at most. */
const jobparam *jobtype_file_param(const jobtype *t);
/* Checks a job of type t with parameters p and a record (0: none) against the type's
 * declared parameters: names, kinds, ranges, choices, required ones, none twice.
 * 0, or -1 with one line in err saying what is wrong. */
int jobtype_check(const jobtype *t, const job_params *p, int64_t object, char *err, size_t errlen);

/* What a TYPE argument names: a built-in type, or a task of the task file, which the command
 * type runs. */
typedef struct jobtype_ref {
	const jobtype *type;
	const task *task;         /* NULL: not a task */
} jobtype_ref;
/* Resolves name (a type, or a task named as the type, whose name then joins p as the task
 * parameter) and checks p and the record by the type's rules and the task's. The command type
 * is no special case: its task parameter names the task. 0, or -1 with err (a usage error). */
int jobtype_resolve(const char *name, const tasks *t, job_params *p, int64_t object, jobtype_ref *out,
		    char *err, size_t errlen);
/* A flag parameter's value (1, true, yes: true; absent or anything else: false). */
bool job_flag(const job_ctx *j, const char *key);
/* Writes the registry into job_types and job_type_params (db/050), replacing what was there,
 * in one transaction. `jobdeck migrate` calls it. 0, or -1 with db_error(). */
int jobtypes_sync(db *d);

/* The types' entry points. */
int jobtype_sleep(job_ctx *j);
int jobtype_csv_import(job_ctx *j);
int jobtype_csv_export(job_ctx *j);
int jobtype_finding_aid(job_ctx *j);
/* The PDF form of finding-aid for the job's record (identifier and title given). */
int jobtype_finding_aid_pdf(job_ctx *j, const char *ident, const char *title);
int jobtype_publication_status(job_ctx *j);
int jobtype_move(job_ctx *j);
int jobtype_rights_inherit(job_ctx *j);
int jobtype_report(job_ctx *j);
int jobtype_command(job_ctx *j);

/* Runs path with argv and envp (NULL-terminated), stdin from /dev/null, stdout and stderr
 * into the job's console output (and to tee_fd as well unless it is -1). own_group puts the
 * command in its own process group (a worker's command must not get the terminal's signals).
 * Returns the wait status (waitpid's), or -1 with the reason in the note when it could not
 * start. The command is killed if this process dies, and stopped (SIGTERM, then SIGKILL five
 * seconds later) when the job is cancelled. */
int jobtype_spawn(job_ctx *j, const char *path, char *const argv[], char *const envp[], int tee_fd,
		  bool own_group);
/* "exited with status 3" / "was killed by signal 9 (Killed)" for a wait status. */
void jobtype_status_text(int status, char *out, size_t n);

/* RTF text: escapes \ { } and writes non-ASCII as \uN? (invalid UTF-8 as '?'). For tests. */
void jobtype_rtf_escape(const char *s, strbuf *out);

#endif
