/* jobops.h — what the dashboard does to jobs, each after a question: clear the user's
 * inactive jobs, cancel the selected job, export the tab as CSV, save a job's file. Key handlers start them
 * (UI_* flags); the session's answers finish them. */
#ifndef JOBDECK_UI_JOBOPS_H
#define JOBDECK_UI_JOBOPS_H

#include "session.h"

struct ui;

/* c: counts what a clear would remove; the answer asks y/N with the count. */
int jobops_clear(struct ui *u);
/* x: asks y/N before cancelling the selected job, when it is running. */
int jobops_cancel(struct ui *u);
/* e: asks for a path (today's default offered), then for an overwrite if needed. */
int jobops_export(struct ui *u);
/* d: asks where to save the selected job's file (the export folder and its stored name
 * offered), then for an overwrite if needed. */
int jobops_download(struct ui *u);

/* The session's answers (ui_apply): each leaves a message, opens the clear question, or
 * reads the view again. */
void jobops_clear_counted(struct ui *u, const session_result *r);
void jobops_cleared(struct ui *u, const session_result *r);
void jobops_cancelled(struct ui *u, const session_result *r);
void jobops_exported(struct ui *u, const session_result *r);
void jobops_downloaded(struct ui *u, const session_result *r);

#endif
