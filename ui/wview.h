/* wview.h — the workers view (w, administrators): gearmand's servers and the namespace's
 * functions (queued, running, workers; paused ones), the throughput of the last hour and the
 * queue wait, and every worker process. p pauses or resumes the selected function. */
#ifndef JOBDECK_UI_WVIEW_H
#define JOBDECK_UI_WVIEW_H

#include "session.h"
#include "view.h"

struct ui;

/* The view (a pane, place KEYS_WORKERS, covering the table and the detail pane). */
extern const ui_view wview_view;

/* Asks the session for the workers again unless a read is already on its way. */
void wview_request(struct ui *u);

/* Key handlers (ui/keys.c), UI_* flags. w: opens the view (administrators; a user gets a
 * message); Esc: back to the jobs; j/k: the selected function; r: read again; p: pause or
 * resume the selected function after a question. */
int wview_open(struct ui *u);
int wview_back(struct ui *u);
int wview_up(struct ui *u);
int wview_down(struct ui *u);
int wview_refresh(struct ui *u);
int wview_pause(struct ui *u);

/* The session's answers (ui_apply): the workers read, a pause or resume done. */
void wview_took(struct ui *u, session_result *r);
void wview_paused(struct ui *u, const session_result *r);

#endif
