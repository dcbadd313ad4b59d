/* keys.c — the key table (see keys.h). */
#include "ui/keys.h"

#include <curses.h>

#include "util.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27
#define KEY_TAB '\t'

static const key_binding bindings[] = {
	{ ACT_UP,       { KEY_UP, 'k' },             "k/↑ j/↓",  NULL,      "Move up / down (detail pane: scroll the output)", KEYS_BOTH },
	{ ACT_DOWN,     { KEY_DOWN, 'j' },           "j/↓",      NULL,      NULL, KEYS_BOTH },
	{ ACT_PGUP,     { KEY_PPAGE, CTRL('b') },    "PgUp/PgDn", NULL,     "One page up / down", KEYS_BOTH },
	{ ACT_PGDN,     { KEY_NPAGE, CTRL('f'), ' ' }, "PgDn",   NULL,      NULL, KEYS_BOTH },
	{ ACT_TOP,      { 'g', KEY_HOME },           "g/G",      NULL,      "First / last job (detail pane: start / end of output)", KEYS_BOTH },
	{ ACT_BOTTOM,   { 'G', KEY_END },            "G",        NULL,      NULL, KEYS_BOTH },
	{ ACT_ENTER,    { '\n', '\r', KEY_ENTER },   "Enter",    "details", "Into the detail pane: read the console output", KEYS_TABLE },
	{ ACT_BACK,     { KEY_ESC, 'h', KEY_LEFT },  "Esc",      "back",    "Back to the jobs table", KEYS_DETAIL },
	{ ACT_FOLLOW,   { 'f' },                     "f",        "follow",  "Follow live output (stays at the bottom)", KEYS_DETAIL },
	{ ACT_FILTER,   { '/' },                     "/",        "filter",  "Filter by text (Esc clears the filter)", KEYS_TABLE },
	{ ACT_EXPORT,   { 'e' },                     "e",        "export",  "Export this tab and filter as CSV", KEYS_TABLE },
	{ ACT_CLEAR,    { 'c' },                     "c",        "clear",   "Clear your inactive jobs (asks first)", KEYS_TABLE },
	{ ACT_CANCEL,   { 'x' },                     "x",        "cancel",  "Cancel the selected job (asks first)", KEYS_BOTH },
	{ ACT_SORT,     { 's' },                     "s",        "sort",    "Next sort column (S: reverse the order)", KEYS_TABLE },
	{ ACT_REVERSE,  { 'S' },                     NULL,       NULL,      NULL, KEYS_TABLE },
	{ ACT_AUTO,     { 'a' },                     "a",        "auto",    "Auto refresh on/off (live updates, timer as fallback)", KEYS_BOTH },
	{ ACT_FASTER,   { '-' },                     "-",        NULL,      NULL, KEYS_BOTH },
	{ ACT_SLOWER,   { '+', '=' },                "+/-",      NULL,      "Auto refresh interval: + one second longer, - shorter", KEYS_BOTH },
	{ ACT_REFRESH,  { 'r', KEY_F(5) },           "r",        "refresh", "Refresh now", KEYS_BOTH },
	{ ACT_OPEN,     { 'o' },                     "o",        "record",  "Open the record the job concerns", KEYS_BOTH },
	{ ACT_TAB1,     { '1' },                     "1/2/3",    NULL,      "All jobs / Active jobs / Failed jobs", KEYS_TABLE },
	{ ACT_TAB2,     { '2' },                     "2",        NULL,      NULL, KEYS_TABLE },
	{ ACT_TAB3,     { '3' },                     "3",        NULL,      NULL, KEYS_TABLE },
	{ ACT_NEXT_TAB, { KEY_TAB },                 "Tab",      "tabs",    "Next tab (Shift-Tab: previous)", KEYS_TABLE },
	{ ACT_PREV_TAB, { KEY_BTAB },                NULL,       NULL,      NULL, KEYS_TABLE },
	{ ACT_HELP,     { '?', KEY_F(1) },           "?",        "help",    "This help", KEYS_BOTH },
	{ ACT_QUIT,     { 'q', KEY_F(10) },          "q",        "quit",    "Quit", KEYS_BOTH },
	{ ACT_REDRAW,   { CTRL('l') },               "^L",       NULL,      "Redraw the screen", KEYS_BOTH },
};

ui_action keys_lookup(int key, int where)
{
	for (size_t i = 0; i < ARRAY_SIZE(bindings); i++) {
		if (!(bindings[i].where & where))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(bindings[i].keys) && bindings[i].keys[k]; k++)
			if (bindings[i].keys[k] == key)
				return bindings[i].act;
	}
	/* Esc in the table clears a filter; it is listed in the help under the filter key */
	if (key == KEY_ESC && where == KEYS_TABLE)
		return ACT_BACK;
	return ACT_NONE;
}

bool keys_available(const key_binding *b, const keys_ctx *ctx)
{
	if (!(b->where & ctx->where))
		return false;
	if ((b->act == ACT_CLEAR || b->act == ACT_CANCEL) && ctx->readonly)
		return false;
	if (b->act == ACT_CANCEL && !ctx->running)
		return false;
	if (b->act == ACT_OPEN && !ctx->has_record)
		return false;
	if (b->act == ACT_ENTER && !ctx->has_job)
		return false;
	return true;
}

const key_binding *keys_table(int *n)
{
	*n = (int)ARRAY_SIZE(bindings);
	return bindings;
}
