/* ops.c — marks, bulk actions and retry from the dashboard (see ops.h). */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "jobops.h"
#include "question.h"
#include "ui.h"

/* ==== marks ==== */

bool ops_is_marked(const ui_model *m, int64_t id)
{
	if (m->mark_all)
		return true;
	for (size_t i = 0; i < m->nmarks; i++)
		if (m->marks[i] == id)
			return true;
	return false;
}

void ops_unmark_all(ui_model *m)
{
	free(m->marks);
	m->marks = NULL;
	m->nmarks = m->marks_cap = 0;
	m->mark_all = false;
	m->mark_all_n = 0;
}

bool ops_marks_check(ui_model *m)
{
	if (!m->mark_all && !m->nmarks)
		return false;
	if (m->mark_tab == m->tab && strcmp(m->mark_filter, m->filter) == 0)
		return false;
	ops_unmark_all(m);
	return true;
}

/* Marks are made in the tab and filter shown now. */
static void marks_here(ui_model *m)
{
	if (!m->mark_all && !m->nmarks) {
		m->mark_tab = m->tab;
		snprintf(m->mark_filter, sizeof m->mark_filter, "%s", m->filter);
	}
}

static int refuse_readonly(ui *u)
{
	ui_message(u, true, "Read-only: marking and acting on jobs is switched off (--readonly).");
	return UI_HANDLED | UI_REDRAW;
}

int ops_mark(ui *u)
{
	ui_model *m = &u->m;
	const job_row *sel = model_selected(m);
	if (m->readonly)
		return refuse_readonly(u);
	if (!sel)
		return UI_HANDLED;
	if (m->mark_all) {
		ui_message(u, false, "Every job of this tab is marked; u clears the marks.");
		return UI_HANDLED | UI_REDRAW;
	}
	for (size_t i = 0; i < m->nmarks; i++) {
		if (m->marks[i] == sel->id) {
			memmove(m->marks + i, m->marks + i + 1, (m->nmarks - i - 1) * sizeof *m->marks);
			m->nmarks--;
			return UI_HANDLED | UI_REDRAW;
		}
	}
	marks_here(m);
	if (m->nmarks == m->marks_cap) {
		m->marks_cap = m->marks_cap ? m->marks_cap * 2 : 16;
		m->marks = xrealloc(m->marks, m->marks_cap * sizeof *m->marks);
	}
	m->marks[m->nmarks++] = sel->id;
	return UI_HANDLED | UI_REDRAW;
}

int ops_mark_all(ui *u)
{
	ui_model *m = &u->m;
	if (m->readonly)
		return refuse_readonly(u);
	ops_unmark_all(m);
	marks_here(m);
	m->mark_all = true;
	m->mark_all_n = -1;
	session_view v = ui_query(u);
	u->count_seq = session_count(u->s, &v);
	ui_message(u, false, "Marking every job of %s%s…", jobs_tab_name(m->tab), m->filter[0] ? " (filtered)" : "");
	return UI_HANDLED | UI_REDRAW;
}

int ops_unmark(ui *u)
{
	ui_model *m = &u->m;
	bool had = m->mark_all || m->nmarks;
	ops_unmark_all(m);
	ui_message(u, false, had ? "Marks cleared." : "No job is marked.");
	return UI_HANDLED | UI_REDRAW;
}

void ops_counted(ui *u, const session_result *r)
{
	ui_model *m = &u->m;
	if (!m->mark_all)
		return;
	if (!r->ok) {
		ops_unmark_all(m);
		ui_message(u, true, "Could not count the jobs to mark: %s", r->msg);
		return;
	}
	m->mark_all_n = r->n;
	ui_message(u, false, "Marked all %lld job%s of %s%s.", (long long)r->n, r->n == 1 ? "" : "s",
		   jobs_tab_name(m->tab), m->filter[0] ? " (filtered)" : "");
}

/* ==== bulk actions on the marked jobs ==== */

/* Asks the session what the action would do to the marked jobs. */
static int plan_marked(ui *u, bulk_action a)
{
	ui_model *m = &u->m;
	if (m->readonly)
		return refuse_readonly(u);
	if (m->mark_all) {
		session_view v = ui_query(u);
		u->plan_seq = session_plan(u->s, a, &v, NULL, 0);
	} else {
		u->plan_seq = session_plan(u->s, a, NULL, m->marks, m->nmarks);
	}
	ui_message(u, false, "Looking at the %lld marked job%s…", (long long)model_marked(m),
		   model_marked(m) == 1 ? "" : "s");
	return UI_HANDLED | UI_REDRAW;
}

static int bulk_yes(ui *u, const char *text)
{
	(void)text;
	session_bulk(u->s, &u->plan);
	bulk_skips_text(&u->plan, u->plan_skips, sizeof u->plan_skips);
	ui_message(u, false, "Working on %zu job%s…", u->plan.n, u->plan.n == 1 ? "" : "s");
	bulk_plan_release(&u->plan);
	return UI_HANDLED | UI_REDRAW;
}

static int bulk_no(ui *u)
{
	bulk_plan_release(&u->plan);
	ui_message(u, false, "Nothing done; the marks stay.");
	return UI_HANDLED | UI_REDRAW;
}

static const ui_asker bulk_asker = { bulk_yes, bulk_no, NULL };

void ops_planned(ui *u, session_result *r)
{
	if (r->seq != u->plan_seq)
		return;
	if (!r->ok) {
		ui_message(u, true, "Could not look at the marked jobs: %s", r->msg);
		return;
	}
	char text[400], label[500];
	bulk_plan_text(&r->plan, text, sizeof text);
	if (r->plan.n == 0) {
		ui_message(u, false, "Nothing to %s: %s.", bulk_verb(r->plan.action), text);
		return;
	}
	bulk_plan_release(&u->plan);
	u->plan = r->plan;
	memset(&r->plan, 0, sizeof r->plan);
	const char *verb = bulk_verb(u->plan.action);
	snprintf(label, sizeof label, "%s. %c%s them? [y/N]", text, verb[0] - 'a' + 'A', verb + 1);
	question_open(u, &bulk_asker, label);
}

void ops_done(ui *u, const session_result *r)
{
	static const char *const done[] = { [BULK_CLEAR] = "Cleared", [BULK_CANCEL] = "Cancelled",
					    [BULK_RETRY] = "Retried" };
	if (!r->ok) {
		ui_message(u, true, "Could not %s the marked jobs: %s", bulk_verb(r->plan.action), r->msg);
		ui_request_view(u, SESSION_AT);
		return;
	}
	char extra[700] = "";
	if (r->bulk.refused)
		snprintf(extra, sizeof extra, "; %lld refused (changed meanwhile)", (long long)r->bulk.refused);
	if (r->bulk.queued_failed)
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
			 "; %lld not taken by gearmand (the workers' sweep will hand them over)",
			 (long long)r->bulk.queued_failed);
	ui_message(u, false, "%s %lld job%s%s%s%s.", done[r->plan.action], (long long)r->bulk.done,
		   r->bulk.done == 1 ? "" : "s", extra, u->plan_skips[0] ? "; skipped: " : "", u->plan_skips);
	ops_unmark_all(&u->m);
	ui_request_view(u, SESSION_AT);
}

int ops_cancel(ui *u)
{
	if (u->m.mark_all || u->m.nmarks)
		return plan_marked(u, BULK_CANCEL);
	return jobops_cancel(u);
}

int ops_clear(ui *u)
{
	if (u->m.mark_all || u->m.nmarks)
		return plan_marked(u, BULK_CLEAR);
	return jobops_clear(u);
}

/* ==== retry ==== */

static int retry_yes(ui *u, const char *text)
{
	(void)text;
	session_retry(u->s, u->retry_id);
	ui_message(u, false, "Retrying job %lld…", (long long)u->retry_id);
	return UI_HANDLED | UI_REDRAW;
}

static int retry_no(ui *u)
{
	ui_message(u, false, "Nothing retried.");
	return UI_HANDLED | UI_REDRAW;
}

static const ui_asker retry_asker = { retry_yes, retry_no, NULL };

int ops_retry(ui *u)
{
	ui_model *m = &u->m;
	const job_row *sel = model_selected(m);
	if (m->readonly) {
		ui_message(u, true, "Read-only: retrying is switched off (--readonly).");
		return UI_HANDLED | UI_REDRAW;
	}
	if (m->mark_all || m->nmarks)
		return plan_marked(u, BULK_RETRY);
	if (!sel)
		return UI_HANDLED;
	if (sel->status != JOB_ERROR) {
		ui_message(u, false, "Job %lld did not fail: only failed jobs are retried.", (long long)sel->id);
		return UI_HANDLED | UI_REDRAW;
	}
	strbuf sb = STRBUF_INIT;
	cell_clean(sel->name, strlen(sel->name), &sb);
	const char *name = sb.buf ? sb.buf : "";
	char label[300];
	int cut = (int)cell_prefix(name, 40);
	snprintf(label, sizeof label, "Retry job %lld \"%.*s%s\"? [y/N]", (long long)sel->id, cut, name,
		 name[cut] ? "…" : "");
	sb_release(&sb);
	u->retry_id = sel->id;
	question_open(u, &retry_asker, label);
	return UI_HANDLED | UI_REDRAW;
}

void ops_retried(ui *u, const session_result *r)
{
	long long id = (long long)r->job_id;
	if (!r->ok) {
		ui_message(u, true, "Could not retry: %s", r->msg);
		return;
	}
	switch (r->retry) {
	case JOBS_RETRY_DONE:
		if (r->queue_error[0])
			ui_message(u, true, "Retried job %lld as job %lld, but gearmand did not take it (%s); "
				   "the workers' sweep will.", id, (long long)r->new_id, r->queue_error);
		else
			ui_message(u, false, "Retried job %lld as job %lld.", id, (long long)r->new_id);
		break;
	case JOBS_RETRY_NOT_FAILED:
		ui_message(u, true, "Job %lld did not fail: only failed jobs are retried.", id);
		break;
	case JOBS_RETRY_CMDLINE:
		ui_message(u, true, "Job %lld is a command-line run: no worker can run it again.", id);
		break;
	case JOBS_RETRY_MISSING:
		ui_message(u, true, "You may not retry job %lld: it is not yours.", id);
		break;
	}
	ui_request_view(u, SESSION_AT);
}
