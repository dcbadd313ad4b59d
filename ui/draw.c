/* draw.c — see draw.h. */
#include "draw.h"

#include <string.h>

#include "cell.h"
#include "util.h"

static bool use_color;

/* Each themable role's colours: pair number role + 1. */
static prefs_colour colours[PREFS_NROLES] = {
	[PREFS_HEADER] = { true, COLOR_BLACK, COLOR_CYAN, 0 },
	[PREFS_TAB] = { true, COLOR_WHITE, COLOR_BLUE, PREFS_BOLD },
	[PREFS_SELECTED] = { true, -1, -1, PREFS_REVERSE },
	[PREFS_RUNNING] = { true, COLOR_YELLOW, -1, PREFS_BOLD },
	[PREFS_COMPLETED] = { true, COLOR_GREEN, -1, 0 },
	[PREFS_ERROR] = { true, COLOR_RED, -1, PREFS_BOLD },
	[PREFS_KEYS] = { true, COLOR_CYAN, -1, PREFS_BOLD },
};

void draw_init(bool color, const prefs_colour *theme)
{
	use_color = color && has_colors();
	if (!use_color)
		return;
	start_color();
	use_default_colors();
	for (int r = 0; r < PREFS_NROLES; r++) {
		if (theme && theme[r].set)
			colours[r] = theme[r];
		/* a colour the terminal does not have is its default */
		short fg = colours[r].fg < COLORS ? colours[r].fg : -1;
		short bg = colours[r].bg < COLORS ? colours[r].bg : -1;
		init_pair((short)(r + 1), fg, bg);
	}
}

static attr_t theme_attr(prefs_role r)
{
	unsigned a = colours[r].attrs;
	/* no colour of its own (the reverse selection): no pair, so a status colour shows on it */
	attr_t pair = colours[r].fg == -1 && colours[r].bg == -1 ? 0 : COLOR_PAIR(r + 1);
	return pair | (a & PREFS_BOLD ? A_BOLD : 0) | (a & PREFS_UNDERLINE ? A_UNDERLINE : 0) |
	       (a & PREFS_REVERSE ? A_REVERSE : 0) | (a & PREFS_DIM ? A_DIM : 0);
}

attr_t draw_attr(draw_role r)
{
	if (!use_color) {
		switch (r) {
		case ROLE_HEADER: case ROLE_SELECTED: case ROLE_TAB_ACTIVE: return A_REVERSE;
		case ROLE_COLUMNS: case ROLE_ERROR: case ROLE_KEY: case ROLE_WARN: return A_BOLD;
		case ROLE_DIM: return A_DIM;
		default: return A_NORMAL;
		}
	}
	switch (r) {
	case ROLE_HEADER: return theme_attr(PREFS_HEADER);
	case ROLE_TAB_ACTIVE: return theme_attr(PREFS_TAB);
	case ROLE_COLUMNS: return A_BOLD | A_UNDERLINE;
	case ROLE_SELECTED: return theme_attr(PREFS_SELECTED);
	case ROLE_RUNNING: return theme_attr(PREFS_RUNNING);
	case ROLE_COMPLETED: case ROLE_OK: return theme_attr(PREFS_COMPLETED);
	case ROLE_ERROR: case ROLE_WARN: return theme_attr(PREFS_ERROR);
	case ROLE_DIM: return A_DIM;
	case ROLE_KEY: return theme_attr(PREFS_KEYS);
	default: return A_NORMAL;
	}
}

attr_t draw_over(attr_t base, attr_t over)
{
	return base & A_COLOR ? base | (over & ~A_COLOR) : base | over;
}

draw_role draw_status_role(job_status s)
{
	return s == JOB_RUNNING ? ROLE_RUNNING : s == JOB_ERROR ? ROLE_ERROR : ROLE_COMPLETED;
}

void draw_fit(int y, int x, int width, const char *s, attr_t attr)
{
	if (width <= 0)
		return;
	strbuf sb = STRBUF_INIT;
	cell_fit(s, width, &sb);
	attrset(attr);
	mvaddstr(y, x, sb.buf ? sb.buf : "");
	attrset(A_NORMAL);
	sb_release(&sb);
}

void draw_seg(int y, int *x, int maxx, const char *s, attr_t attr)
{
	int room = maxx - *x;
	if (room <= 0)
		return;
	int w = cell_width(s);
	if (w > room)
		w = room;
	draw_fit(y, *x, w, s, attr);
	*x += w;
}

void draw_fill(int y, int x, int width, attr_t attr)
{
	attrset(attr);
	for (int i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

void draw_frame(int y, int x, int h, int w, const char *title)
{
	attr_t a = draw_attr(ROLE_KEY);
	for (int r = 0; r < h; r++)
		draw_fill(y + r, x, w, A_NORMAL);
	attrset(a);
	mvhline(y, x, ACS_HLINE, w);
	mvhline(y + h - 1, x, ACS_HLINE, w);
	mvvline(y, x, ACS_VLINE, h);
	mvvline(y, x + w - 1, ACS_VLINE, h);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	int tx = x + 2;
	draw_seg(y, &tx, x + w - 2, title, a);
}
