/* view.h — what every view of the dashboard implements, like tig's struct view_ops.
 *
 * A view is a pane of the screen (the jobs table, the detail pane), an overlay over it
 * (help, the record card) or a prompt on the footer line (a line of text, a y/N question).
 * ui/app.c keeps the table of views: the key goes to the top one (a prompt, else an
 * overlay, else the focused pane) and every shown view is drawn, panes first. A new view
 * is a new file with one of these, a line in that table and its rows in ui/keys.c. */
#ifndef JOBDECK_UI_VIEW_H
#define JOBDECK_UI_VIEW_H

#include <stdbool.h>
#include <wchar.h>

#include "keys.h"

struct ui;

typedef enum ui_layer {
	UI_LAYER_PANE,         /* part of the screen; the focused one takes the keys */
	UI_LAYER_OVERLAY,      /* over the panes, takes every key while open */
	UI_LAYER_PROMPT,       /* on the footer line, takes every key raw while open */
} ui_layer;

typedef struct ui_view {
	const char *name;
	ui_layer layer;
	/* Its place in the key table: a pane has the keys of its own place and the focus when
	 * m.focus is that place; an overlay reads keys of any place as requests (KEYS_ANY). */
	int place;
	/* Whether it is on screen now. */
	bool (*shown)(const struct ui *u);
	/* Draws it from the model (curses; the loop refreshes). */
	void (*draw)(struct ui *u);
	/* Overlays: takes every request (a key as its row's ui_action) and returns UI_* flags.
	 * NULL (panes): the request's row in its place runs. */
	int (*action)(struct ui *u, ui_action act);
	/* A key bound to nothing in its place; UI_* flags. NULL: nothing happens. */
	int (*unbound)(struct ui *u);
	/* Prompts: every key, raw (is_key: a curses KEY_* code, else a character). */
	int (*input)(struct ui *u, bool is_key, wint_t code);
	/* Panes: a mouse click at (y, x); 0 when it is not inside the view. */
	int (*click)(struct ui *u, int y, int x);
} ui_view;

#endif
