/* draw.c — see draw.h. */
#include "draw.h"

#include <string.h>

#include "cell.h"
#include "util.h"

static bool use_color;

void draw_init(bool color)
{
	use_color = color && has_colors();
	if (!use_color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_BLACK, COLOR_CYAN);     /* header */
	init_pair(2, COLOR_YELLOW, -1);            /* running */
	init_pair(3, COLOR_GREEN, -1);             /* completed */
	init_pair(4, COLOR_RED, -1);               /* error */
	init_pair(5, COLOR_CYAN, -1);              /* keys */
	init_pair(6, COLOR_WHITE, COLOR_BLUE);     /* active tab */
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
	case ROLE_HEADER: return COLOR_PAIR(1);
	case ROLE_TAB_ACTIVE: return COLOR_PAIR(6) | A_BOLD;
	case ROLE_COLUMNS: return A_BOLD | A_UNDERLINE;
	case ROLE_SELECTED: return A_REVERSE;
	case ROLE_RUNNING: return COLOR_PAIR(2) | A_BOLD;
	case ROLE_COMPLETED: case ROLE_OK: return COLOR_PAIR(3);
	case ROLE_ERROR: return COLOR_PAIR(4) | A_BOLD;
	case ROLE_WARN: return COLOR_PAIR(4) | A_BOLD;
	case ROLE_DIM: return A_DIM;
	case ROLE_KEY: return COLOR_PAIR(5) | A_BOLD;
	default: return A_NORMAL;
	}
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
