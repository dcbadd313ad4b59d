/* ops.h — marks and what the dashboard does to many jobs at once, and retrying a failed
 * job: Space marks the selected job, * every job of the tab and filter (kept as "all of the
 * query", counted by the database), u clears the marks; with marks, x, R and c act on the
 * marked jobs after a question that says how many are acted on and how many are skipped
 * and why. A tab switch or a filter change clears the marks. */
#ifndef JOBDECK_UI_OPS_H
#define JOBDECK_UI_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "session.h"
#include "model.h"

struct ui;

/* Whether job id is marked (every row shown is, after *). */
bool ops_is_marked(const ui_model *m, int64_t id);
/* Drops every mark. */
void ops_unmark_all(ui_model *m);
/* Drops the marks when the tab or filter is no longer the one they were made in; true when
 * there were marks to drop. */
bool ops_marks_check(ui_model *m);

/* Key handlers (ui/keys.c), UI_* flags. Space: marks or unmarks the selected job; *: marks
 * every job of the tab and filter; u: clears the marks. */
int ops_mark(struct ui *u);
int ops_mark_all(struct ui *u);
int ops_unmark(struct ui *u);
/* R: retries the marked jobs, else the selected failed job, after a question. */
int ops_retry(struct ui *u);
/* x and c with marks: cancel or clear the marked jobs (the plan, a question, the run);
 * without marks, today's cancel and clear (ui/jobops.c). */
int ops_cancel(struct ui *u);
int ops_clear(struct ui *u);

/* The session's answers (ui_apply). */
void ops_counted(struct ui *u, const session_result *r);
void ops_retried(struct ui *u, const session_result *r);
void ops_planned(struct ui *u, session_result *r);
void ops_done(struct ui *u, const session_result *r);

#endif
