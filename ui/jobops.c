/* jobops.c — clear, cancel, export and download from the dashboard (see jobops.h). */
#include "jobops.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "download.h"
#include "export.h"
#include "cell.h"
#include "question.h"
#include "ui.h"

/* ==== clear ==== */

int jobops_clear(ui *u)
{
	if (u->m.readonly) {
		ui_message(u, true, "Read-only: clearing is switched off (--readonly).");
		return UI_HANDLED | UI_REDRAW;
	}
	if (!u->m.connected) {
		/* a count asked for now would come, and ask, whenever the database is back */
		ui_message(u, true, "Not connected: clearing waits until the database is back.");
		return UI_HANDLED | UI_REDRAW;
	}
	u->clear_seq = session_clear_count(u->s);
	ui_message(u, false, "Counting your inactive jobs…");
	return UI_HANDLED | UI_REDRAW;
}

static int clear_yes(ui *u, const char *text)
{
	(void)text;
	session_clear(u->s);
	ui_message(u, false, "Clearing…");
	return UI_HANDLED | UI_REDRAW;
}

static int clear_no(ui *u)
{
	ui_message(u, false, "Nothing cleared.");
	return UI_HANDLED | UI_REDRAW;
}

static const ui_asker clear_asker = { clear_yes, clear_no, NULL };

void jobops_clear_counted(ui *u, const session_result *r)
{
	bool admin = u->m.admin;
	if (!r->ok) {
		ui_message(u, true, "Could not count your inactive jobs: %s", r->msg);
	} else if (r->n == 0) {
		ui_message(u, false, "You have no inactive jobs to clear.%s",
			   admin ? " (Administrators clear only their own and command-line jobs.)" : "");
	} else {
		char label[400];
		snprintf(label, sizeof label,
			 "Clear %lld inactive job%s%s? Running jobs and other users' jobs stay. [y/N]",
			 (long long)r->n, r->n == 1 ? "" : "s", admin ? " (yours and command-line jobs)" : "");
		question_open(u, &clear_asker, label);
	}
}

void jobops_cleared(ui *u, const session_result *r)
{
	if (!r->ok) {
		ui_message(u, true, "Could not clear: %s", r->msg);
		return;
	}
	ui_message(u, false, "Cleared %lld job%s.", (long long)r->n, r->n == 1 ? "" : "s");
	ui_request_view(u, SESSION_AT);
}

/* ==== cancel ==== */

static int cancel_yes(ui *u, const char *text)
{
	(void)text;
	session_cancel(u->s, u->m.cancel_id);
	ui_message(u, false, "Cancelling job %lld…", (long long)u->m.cancel_id);
	return UI_HANDLED | UI_REDRAW;
}

static int cancel_no(ui *u)
{
	ui_message(u, false, "Nothing cancelled.");
	return UI_HANDLED | UI_REDRAW;
}

static const ui_asker cancel_asker = { cancel_yes, cancel_no, NULL };

/* The job's name for a question: clean, and short enough that "[y/N]" stays in view. */
static void short_name(const char *raw, int width, char *out, size_t n)
{
	strbuf sb = STRBUF_INIT;
	cell_clean(raw, strlen(raw), &sb);
	const char *s = sb.buf ? sb.buf : "";
	if (cell_width(s) > width)
		snprintf(out, n, "%.*s…", (int)cell_prefix(s, width - 1), s);
	else
		snprintf(out, n, "%s", s);
	sb_release(&sb);
}

/* Only a running job can be cancelled. The status shown may be a moment old: the database
 * has the last word (the answer may be "ended"). */
int jobops_cancel(ui *u)
{
	ui_model *m = &u->m;
	const job_row *sel = model_selected(m);
	if (m->readonly) {
		ui_message(u, true, "Read-only: cancelling is switched off (--readonly).");
		return UI_HANDLED | UI_REDRAW;
	}
	if (!sel || sel->status != JOB_RUNNING) {
		if (sel)
			ui_message(u, false, "Job %lld is not running: there is nothing to cancel.", (long long)sel->id);
		return UI_HANDLED | UI_REDRAW;
	}
	char name[200], label[300];
	short_name(sel->name, 40, name, sizeof name);
	snprintf(label, sizeof label, "Cancel job %lld \"%s\"? [y/N]", (long long)sel->id, name);
	m->cancel_id = sel->id;
	question_open(u, &cancel_asker, label);
	return UI_HANDLED | UI_REDRAW;
}

void jobops_cancelled(ui *u, const session_result *r)
{
	long long id = (long long)r->job_id;
	if (!r->ok) {
		ui_message(u, true, "Could not cancel: %s", r->msg);
		return;
	}
	switch (r->cancel) {
	case JOBS_CANCEL_DONE:
		ui_message(u, false, "Cancelled job %lld (it had not started).", id);
		break;
	case JOBS_CANCEL_REQUESTED_RUN:
		ui_message(u, false, "Asked the command-line run of job %lld to stop.", id);
		break;
	case JOBS_CANCEL_REQUESTED:
		ui_message(u, false, "Asked the worker to stop job %lld.", id);
		break;
	case JOBS_CANCEL_ENDED:
		ui_message(u, false, "Job %lld has already ended.", id);
		break;
	case JOBS_CANCEL_MISSING:
		ui_message(u, true, "You may not cancel job %lld.", id);
		break;
	}
	/* the NOTIFY follows, but auto refresh may be off: show the new status either way */
	ui_request_view(u, SESSION_AT);
}

/* ==== export ==== */

static int export_no(ui *u)
{
	ui_message(u, false, "Export cancelled.");
	return UI_HANDLED | UI_REDRAW;
}

static int start_export(ui *u, bool force)
{
	session_view v = ui_query(u);
	u->export_seq = session_export(u->s, &v, u->export_path, force);
	ui_message(u, false, "Exporting %s to %s…", jobs_tab_name(u->m.tab), u->export_path);
	return UI_HANDLED | UI_REDRAW;
}

static int overwrite_yes(ui *u, const char *text)
{
	(void)text;
	return start_export(u, true);
}

static const ui_asker overwrite_asker = { overwrite_yes, export_no, NULL };

/* The path typed: exported to when the rules allow it, else asked about or refused. */
static int export_path_given(ui *u, const char *text)
{
	if (!text[0])
		return export_no(u);
	snprintf(u->export_path, sizeof u->export_path, "%s", text);
	switch (export_path_check(text, true)) {
	case EXPORT_PATH_EXISTS: {
		char label[1200];
		const char *base = strrchr(text, '/');
		snprintf(label, sizeof label, "%s already exists. Overwrite it? [y/N]", base ? base + 1 : text);
		question_open(u, &overwrite_asker, label);
		return UI_HANDLED | UI_REDRAW;
	}
	case EXPORT_PATH_SCREEN:
		ui_message(u, true, "Export needs a file name here ('-' would write over the screen).");
		return UI_HANDLED | UI_REDRAW;
	case EXPORT_PATH_WRITE:
		break;
	}
	return start_export(u, false);
}

static const ui_asker export_asker = { export_path_given, export_no, NULL };

int jobops_export(ui *u)
{
	char def[600], label[200];
	export_default_path(def, sizeof def);
	snprintf(label, sizeof label, "Export %s%s as CSV to:", jobs_tab_name(u->m.tab),
		 u->m.filter[0] ? " (filtered)" : "");
	prompt_open(u, &export_asker, label, def);
	return UI_HANDLED | UI_REDRAW;
}

void jobops_exported(ui *u, const session_result *r)
{
	char full[PATH_MAX];
	if (!r->ok)
		ui_message(u, true, "Export failed: %s", r->msg);
	else
		ui_message(u, false, "Exported %lld job%s to %s", (long long)r->n, r->n == 1 ? "" : "s",
			   realpath(r->path, full) ? full : r->path);
}

/* ==== download: a job's stored file (db/054), saved where the user says ==== */

static int download_no(ui *u)
{
	ui_message(u, false, "Nothing saved.");
	return UI_HANDLED | UI_REDRAW;
}

static int start_download(ui *u, bool force)
{
	session_download(u->s, u->download_id, u->download_path, force);
	ui_message(u, false, "Saving the file of job %lld to %s…", (long long)u->download_id, u->download_path);
	return UI_HANDLED | UI_REDRAW;
}

static int download_overwrite_yes(ui *u, const char *text)
{
	(void)text;
	return start_download(u, true);
}

static const ui_asker download_overwrite_asker = { download_overwrite_yes, download_no, NULL };

/* The path typed: saved to when the rules of export allow it, else asked about or refused. */
static int download_path_given(ui *u, const char *text)
{
	if (!text[0])
		return download_no(u);
	snprintf(u->download_path, sizeof u->download_path, "%s", text);
	switch (export_path_check(text, true)) {
	case EXPORT_PATH_EXISTS: {
		char label[1200];
		const char *base = strrchr(text, '/');
		snprintf(label, sizeof label, "%s already exists. Overwrite it? [y/N]", base ? base + 1 : text);
		question_open(u, &download_overwrite_asker, label);
		return UI_HANDLED | UI_REDRAW;
	}
	case EXPORT_PATH_SCREEN:
		ui_message(u, true, "Saving needs a file name here ('-' would write over the screen).");
		return UI_HANDLED | UI_REDRAW;
	case EXPORT_PATH_WRITE:
		break;
	}
	return start_download(u, false);
}

static const ui_asker download_asker = { download_path_given, download_no, NULL };

int jobops_download(ui *u)
{
	const job_row *sel = model_selected(&u->m);
	if (!sel || !sel->download_path) {
		if (sel)
			ui_message(u, false, "Job %lld made no file.", (long long)sel->id);
		return UI_HANDLED | UI_REDRAW;
	}
	char def[1100], label[200];
	u->download_id = sel->id;
	download_default_path(sel->download_path, sel->id, def, sizeof def);
	snprintf(label, sizeof label, "Save the file of job %lld to:", (long long)sel->id);
	prompt_open(u, &download_asker, label, def);
	return UI_HANDLED | UI_REDRAW;
}

void jobops_downloaded(ui *u, const session_result *r)
{
	char full[PATH_MAX];
	if (!r->ok)
		ui_message(u, true, "Download failed: %s", r->msg);
	else
		ui_message(u, false, "Saved %lld byte%s to %s", (long long)r->n, r->n == 1 ? "" : "s",
			   realpath(r->path, full) ? full : r->path);
}
