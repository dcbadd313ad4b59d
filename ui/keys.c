/* keys.c — the key table (see keys.h). Its handlers live with their views: moves in
 * table.c and detail.c, tabs in tabs.c, the record card in record.c, clear, cancel,
 * export and download in jobops.c, the rest (refresh, auto, help, quit...) in actions.c. */
#include "keys.h"

#include <curses.h>

#include "actions.h"
#include "detail.h"
#include "jobops.h"
#include "ops.h"
#include "record.h"
#include "table.h"
#include "tabs.h"
#include "wview.h"
#include "util.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27
#define KEY_TAB '\t'

/* ==== when a row is offered, and words that change ==== */

static bool has_job(const keys_ctx *c) { return c->has_job; }
static bool has_record(const keys_ctx *c) { return c->has_record; }
static bool filtering(const keys_ctx *c) { return c->filtering; }
static bool writable(const keys_ctx *c) { return !c->readonly; }
static bool cancellable(const keys_ctx *c) { return !c->readonly && c->running; }
static bool searching(const keys_ctx *c) { return c->searching; }
static bool has_download(const keys_ctx *c) { return c->has_download; }

static const char *follow_label(const keys_ctx *c) { return c->follow ? "unfollow" : "follow"; }
static const char *auto_label(const keys_ctx *c) { return c->auto_on ? "auto off" : "auto on"; }

/* operations */
/* x and R work on marks whatever is selected; the footer offers them for the selected job
 * (with marks its room goes to u, and the header counts the marks) */
static bool retryable(const keys_ctx *c) { return !c->readonly && c->failed; }
static bool unmarkable(const keys_ctx *c) { return !c->readonly && c->marked; }
/* with marks, u takes Space's place in the footer (the header counts the marks) */
static const char *mark_label(const keys_ctx *c) { return c->marked ? NULL : "mark"; }

/* ==== the table ====
 *
 * In this order in the help overlay and the footer. A request that does different things
 * in the table and in the detail pane has a row in each; only one of them carries the help
 * line. */
static const key_binding bindings[] = {
	{ ACT_UP, { KEY_UP, 'k' }, "k/↑ j/↓", NULL, NULL,
	  "Move up / down (detail pane: scroll the output)", KEYS_TABLE, NULL, table_up, false },
	{ ACT_UP, { KEY_UP, 'k' }, NULL, NULL, NULL, NULL, KEYS_DETAIL, NULL, detail_up, false },
	{ ACT_DOWN, { KEY_DOWN, 'j' }, "j/↓", NULL, NULL, NULL, KEYS_TABLE, NULL, table_down, false },
	{ ACT_DOWN, { KEY_DOWN, 'j' }, NULL, NULL, NULL, NULL, KEYS_DETAIL, NULL, detail_down, false },
	{ ACT_PGUP, { KEY_PPAGE, CTRL('b') }, "PgUp/PgDn", NULL, NULL,
	  "One page up / down", KEYS_TABLE, NULL, table_page_up, false },
	{ ACT_PGUP, { KEY_PPAGE, CTRL('b') }, NULL, NULL, NULL, NULL, KEYS_DETAIL, NULL, detail_page_up, false },
	{ ACT_PGDN, { KEY_NPAGE, CTRL('f') }, "PgDn", NULL, NULL, NULL, KEYS_TABLE, NULL, table_page_down, false },
	{ ACT_PGDN, { KEY_NPAGE, CTRL('f'), ' ' }, NULL, NULL, NULL, NULL, KEYS_DETAIL, NULL, detail_page_down, false },
	{ ACT_TOP, { 'g', KEY_HOME }, "g/G", NULL, NULL,
	  "First / last job (detail pane: start / end of output)", KEYS_TABLE, NULL, table_top, false },
	{ ACT_TOP, { 'g', KEY_HOME }, NULL, NULL, NULL, NULL, KEYS_DETAIL, NULL, detail_top, false },
	{ ACT_BOTTOM, { 'G', KEY_END }, "G", NULL, NULL, NULL, KEYS_TABLE, NULL, table_bottom, false },
	{ ACT_BOTTOM, { 'G', KEY_END }, NULL, NULL, NULL, NULL, KEYS_DETAIL, NULL, detail_bottom, false },
	{ ACT_ENTER, { '\n', '\r', KEY_ENTER }, "Enter", "details", NULL,
	  "Into the detail pane: read the console output", KEYS_TABLE, has_job, table_enter, false },
	{ ACT_BACK, { KEY_ESC, 'h', KEY_LEFT }, "Esc", "back", NULL,
	  "Back to the jobs table", KEYS_DETAIL, NULL, detail_back, false },
	/* Esc in the table clears a filter; the help lists it under the filter key */
	{ ACT_BACK, { KEY_ESC }, "Esc", NULL, NULL, NULL, KEYS_TABLE, filtering, table_clear_filter, false },
	{ ACT_FOLLOW, { 'f' }, "f", "follow", follow_label,
	  "Follow live output (stays at the bottom)", KEYS_DETAIL, NULL, detail_follow, false },
	{ ACT_FILTER, { '/' }, "/", "filter", NULL,
	  "Filter by text (Esc clears the filter)", KEYS_TABLE, NULL, table_filter, false },
	{ ACT_EXPORT, { 'e' }, "e", "export", NULL,
	  "Export this tab and filter as CSV", KEYS_TABLE, NULL, jobops_export, false },
	{ ACT_DOWNLOAD, { 'd' }, "d", "download", NULL,
	  "Save the file the job produced (asks where)", KEYS_BOTH, has_download, jobops_download, false },
	{ ACT_CLEAR, { 'c' }, "c", "clear", NULL,
	  "Clear your inactive jobs, or the marked ones (asks first)", KEYS_TABLE, writable, ops_clear, false },
	{ ACT_CANCEL, { 'x' }, "x", "cancel", NULL,
	  "Cancel the selected job, or the marked ones (asks first)", KEYS_BOTH, cancellable, ops_cancel, false },
	{ ACT_SORT, { 's' }, "s", "sort", NULL,
	  "Next sort column (S: reverse the order)", KEYS_TABLE, NULL, table_sort, false },
	{ ACT_REVERSE, { 'S' }, NULL, NULL, NULL, NULL, KEYS_TABLE, NULL, table_reverse, false },
	{ ACT_AUTO, { 'a' }, "a", "auto", auto_label,
	  "Auto refresh on/off (live updates, timer as fallback)", KEYS_BOTH | KEYS_WORKERS, NULL, actions_auto, false },
	{ ACT_FASTER, { '-' }, "-", NULL, NULL, NULL, KEYS_BOTH, NULL, actions_faster, false },
	{ ACT_SLOWER, { '+', '=' }, "+/-", NULL, NULL,
	  "Auto refresh interval: + one second longer, - shorter", KEYS_BOTH, NULL, actions_slower, false },
	{ ACT_REFRESH, { 'r', KEY_F(5) }, "r", "refresh", NULL,
	  "Refresh now", KEYS_BOTH, NULL, actions_refresh, false },
	{ ACT_OPEN, { 'o' }, "o", "record", NULL,
	  "Open the record the job concerns", KEYS_BOTH, has_record, record_open, false },
	{ ACT_TAB1, { '1' }, "1/2/3", NULL, NULL,
	  "All jobs / Active jobs / Failed jobs", KEYS_TABLE, NULL, tabs_first, false },
	{ ACT_TAB2, { '2' }, "2", NULL, NULL, NULL, KEYS_TABLE, NULL, tabs_second, false },
	{ ACT_TAB3, { '3' }, "3", NULL, NULL, NULL, KEYS_TABLE, NULL, tabs_third, false },
	{ ACT_NEXT_TAB, { KEY_TAB }, "Tab", "tabs", NULL,
	  "Next tab (Shift-Tab: previous)", KEYS_TABLE, NULL, tabs_next, false },
	{ ACT_PREV_TAB, { KEY_BTAB }, NULL, NULL, NULL, NULL, KEYS_TABLE, NULL, tabs_previous, false },
	{ ACT_HELP, { '?', KEY_F(1) }, "?", "help", NULL, "This help", KEYS_BOTH | KEYS_WORKERS, NULL, actions_help, true },
	{ ACT_QUIT, { 'q', KEY_F(10) }, "q", "quit", NULL, "Quit", KEYS_BOTH | KEYS_WORKERS, NULL, actions_quit, true },
	{ ACT_REDRAW, { CTRL('l') }, "^L", NULL, NULL, "Redraw the screen", KEYS_BOTH | KEYS_WORKERS, NULL, actions_redraw, false },
	/* ==== operations: marks, retry, the workers view. In this order for the footer's room:
	 * u (only with marks), R (a failed job selected), then Space (only without marks). */
	{ ACT_UNMARK, { 'u' }, "u", "unmark", NULL,
	  "Clear the marks (a tab or filter change clears them too)", KEYS_TABLE, unmarkable, ops_unmark, false },
	{ ACT_RETRY, { 'R' }, "R", "retry", NULL,
	  "Retry the failed job, or the marked ones (asks first)", KEYS_BOTH, retryable, ops_retry, false },
	{ ACT_MARK, { ' ' }, "Space", "mark", mark_label,
	  "Mark / unmark the job (x, R, c then act on the marked jobs)", KEYS_TABLE, writable, ops_mark, false },
	{ ACT_MARK_ALL, { '*' }, "*", NULL, NULL,
	  "Mark every job of this tab and filter, on screen or not", KEYS_TABLE, writable, ops_mark_all, false },
	{ ACT_WORKERS, { 'w' }, "w", "workers", NULL,
	  "Workers: gearmand, functions, workers (administrators)", KEYS_BOTH, NULL, wview_open, false },
	{ ACT_UP, { KEY_UP, 'k' }, NULL, NULL, NULL, NULL, KEYS_WORKERS, NULL, wview_up, false },
	{ ACT_DOWN, { KEY_DOWN, 'j' }, NULL, NULL, NULL, NULL, KEYS_WORKERS, NULL, wview_down, false },
	{ ACT_BACK, { KEY_ESC, 'h', KEY_LEFT }, "Esc", "back", NULL, NULL, KEYS_WORKERS, NULL, wview_back, false },
	{ ACT_PAUSE, { 'p' }, "p", "pause/resume", NULL,
	  "Workers view: pause / resume the function (asks first)", KEYS_WORKERS, writable, wview_pause,
	  false },
	{ ACT_REFRESH, { 'r', KEY_F(5) }, NULL, NULL, NULL, NULL, KEYS_WORKERS, NULL, wview_refresh, false },
	/* ==== the detail pane: search ==== */
	{ ACT_SEARCH, { '/' }, "/", "search", NULL,
	  "Search the whole output (Esc clears the search)", KEYS_DETAIL, has_job, detail_search, false },
	{ ACT_NEXT_MATCH, { 'n' }, "n/N", "match", NULL,
	  "Next / previous match of the search", KEYS_DETAIL, searching, detail_next_match, false },
	{ ACT_PREV_MATCH, { 'N' }, NULL, NULL, NULL, NULL, KEYS_DETAIL, NULL, detail_prev_match, false },
};

const key_binding *keys_find(int key, int where)
{
	for (size_t i = 0; i < ARRAY_SIZE(bindings); i++) {
		if (!(bindings[i].where & where))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(bindings[i].keys) && bindings[i].keys[k]; k++)
			if (bindings[i].keys[k] == key)
				return &bindings[i];
	}
	return NULL;
}

const key_binding *keys_find_act(ui_action act, int where)
{
	for (size_t i = 0; i < ARRAY_SIZE(bindings); i++)
		if (bindings[i].act == act && (bindings[i].where & where))
			return &bindings[i];
	return NULL;
}

ui_action keys_lookup(int key, int where)
{
	const key_binding *b = keys_find(key, where);
	return b ? b->act : ACT_NONE;
}

bool keys_available(const key_binding *b, const keys_ctx *ctx)
{
	return (b->where & ctx->where) && (!b->avail || b->avail(ctx));
}

const char *keys_label(const key_binding *b, const keys_ctx *ctx)
{
	return b->label_fn ? b->label_fn(ctx) : b->label;
}

const key_binding *keys_table(int *n)
{
	*n = (int)ARRAY_SIZE(bindings);
	return bindings;
}
