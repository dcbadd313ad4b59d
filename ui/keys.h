/* keys.h — every key binding of the dashboard, declared once.
 *
 * The footer and the help overlay are generated from this one table, so what they say and
 * what the keys do cannot drift apart. */
#ifndef JOBDECK_UI_KEYS_H
#define JOBDECK_UI_KEYS_H

#include <stdbool.h>

typedef enum ui_action {
	ACT_NONE,
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOP, ACT_BOTTOM,
	ACT_TAB1, ACT_TAB2, ACT_TAB3, ACT_NEXT_TAB, ACT_PREV_TAB,
	ACT_ENTER, ACT_BACK, ACT_FOLLOW, ACT_OPEN,
	ACT_REFRESH, ACT_AUTO, ACT_FASTER, ACT_SLOWER,
	ACT_CLEAR, ACT_CANCEL, ACT_EXPORT, ACT_FILTER, ACT_SORT, ACT_REVERSE,
	ACT_HELP, ACT_QUIT, ACT_REDRAW,
	ACT_COUNT
} ui_action;

/* Where a binding works: the jobs table, the detail pane (after Enter), or both. */
enum { KEYS_TABLE = 1, KEYS_DETAIL = 2, KEYS_BOTH = 3 };

/* What the footer and help may offer right now. */
typedef struct keys_ctx {
	int where;          /* KEYS_TABLE or KEYS_DETAIL */
	bool readonly;      /* no clearing, no cancelling */
	bool has_record;    /* the selected job concerns a record */
	bool filtering;     /* a filter is set (Esc clears it) */
	bool running;       /* the selected job is Running (x may cancel it) */
	bool has_job;       /* a job is selected (Enter opens it) */
} keys_ctx;

typedef struct key_binding {
	ui_action act;
	int keys[4];         /* curses key codes or characters; 0 ends the list */
	const char *names;   /* how the keys are written: "j/↓" */
	const char *label;   /* the footer's word; NULL keeps it out of the footer */
	const char *help;    /* one line for the help overlay */
	int where;
} key_binding;

/* The action bound to key in the given place (KEYS_TABLE or KEYS_DETAIL), or ACT_NONE. */
ui_action keys_lookup(int key, int where);
/* Whether a binding is offered in ctx (readonly hides clearing and cancelling,
 * 'o' needs a record, 'x' a running job...). */
bool keys_available(const key_binding *b, const keys_ctx *ctx);
/* The whole table and its length (for the footer and the help overlay). */
const key_binding *keys_table(int *n);

#endif
