/* keys.h — every key binding of the dashboard, declared once, with what it does.
 *
 * Each row names a request (ui_action), the keys that make it, the place it works in (the
 * jobs table, the detail pane), its handler, when it is offered and its footer word. The
 * loop dispatches keys through the rows, and the footer and the help overlay are generated
 * from them, so what they say and what the keys do cannot drift apart. */
#ifndef JOBDECK_UI_KEYS_H
#define JOBDECK_UI_KEYS_H

#include <stdbool.h>

struct ui;

/* The requests. A row binds keys to one in one place; overlays read keys as requests. */
typedef enum ui_action {
	ACT_NONE,
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOP, ACT_BOTTOM,
	ACT_TAB1, ACT_TAB2, ACT_TAB3, ACT_NEXT_TAB, ACT_PREV_TAB,
	ACT_ENTER, ACT_BACK, ACT_FOLLOW, ACT_OPEN,
	ACT_REFRESH, ACT_AUTO, ACT_FASTER, ACT_SLOWER,
	ACT_CLEAR, ACT_CANCEL, ACT_EXPORT, ACT_FILTER, ACT_SORT, ACT_REVERSE,
	ACT_HELP, ACT_QUIT, ACT_REDRAW,
	/* operations: the workers view, pause, retry, marks */
	ACT_WORKERS, ACT_PAUSE, ACT_RETRY, ACT_MARK, ACT_MARK_ALL, ACT_UNMARK,
	/* ==== the detail pane (ui-detail) ==== */
	ACT_SEARCH, ACT_NEXT_MATCH, ACT_PREV_MATCH,
	ACT_DOWNLOAD,
	ACT_COUNT
} ui_action;

/* Places, one bit each: where a binding works. Each pane looks its keys up in its own. */
enum {
	KEYS_TABLE = 1,                   /* the jobs table */
	KEYS_DETAIL = 2,                  /* the detail pane (after Enter) */
	KEYS_BOTH = KEYS_TABLE | KEYS_DETAIL,
	KEYS_WORKERS = 4,                 /* the workers view (w) */
	KEYS_ANY = ~0,                    /* overlays: any binding names the request */
};

/* What is true right now, as far as offering keys goes (see model_keys_ctx). */
typedef struct keys_ctx {
	int where;          /* the focused place: KEYS_TABLE or KEYS_DETAIL */
	bool readonly;      /* no clearing, no cancelling */
	bool has_record;    /* the selected job concerns a record */
	bool filtering;     /* a filter is set (Esc clears it) */
	bool running;       /* the selected job is Running (x may cancel it) */
	bool has_job;       /* a job is selected (Enter opens it) */
	bool follow;        /* the detail pane follows live output */
	bool auto_on;       /* auto refresh is on */
	/* operations */
	bool failed;        /* the selected job ended in Error (R may retry it) */
	bool marked;        /* jobs are marked (x, R, c act on them) */
	/* ==== the detail pane (ui-detail) ==== */
	bool searching;     /* a search of the output has matches (n/N move between them) */
	bool has_download;  /* the selected job made a file (d saves it) */
} keys_ctx;

/* What a key does: changes the dashboard and returns UI_* flags (model.h); never draws. */
typedef int (*keys_handler)(struct ui *u);
/* Whether a row is offered in ctx. */
typedef bool (*keys_pred)(const keys_ctx *ctx);
/* A footer word that changes with ctx. */
typedef const char *(*keys_label_fn)(const keys_ctx *ctx);

typedef struct key_binding {
	ui_action act;
	int keys[4];              /* curses key codes or characters; 0 ends the list */
	const char *names;        /* how the keys are written: "j/↓" */
	const char *label;        /* the footer's word; NULL (and no label_fn): not in the footer */
	keys_label_fn label_fn;   /* when set, the footer's word instead of label */
	const char *help;         /* one line for the help overlay; NULL: not listed */
	int where;                /* the places it works in (KEYS_*) */
	keys_pred avail;          /* offered in the footer and help only when true; NULL: always */
	keys_handler run;         /* what it does in its places */
	bool pinned;              /* always in the footer: room is kept for it */
} key_binding;

/* The row bound to key in the given place(s), or NULL. */
const key_binding *keys_find(int key, int where);
/* The row of request act in the given place(s), or NULL. */
const key_binding *keys_find_act(ui_action act, int where);
/* The request bound to key in the given place(s), or ACT_NONE. */
ui_action keys_lookup(int key, int where);
/* Whether a row is offered in ctx: it works in ctx->where and its predicate holds
 * (readonly hides clearing and cancelling, 'o' needs a record, 'x' a running job...). */
bool keys_available(const key_binding *b, const keys_ctx *ctx);
/* The row's footer word in ctx (its label function's, else its label; NULL: none). */
const char *keys_label(const key_binding *b, const keys_ctx *ctx);
/* The whole table and its length (for the footer and the help overlay). */
const key_binding *keys_table(int *n);

#endif
