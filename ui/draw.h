/* draw.h — small drawing helpers shared by the widgets. */
#ifndef JOBDECK_UI_DRAW_H
#define JOBDECK_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>

#include "jobs.h"
#include "prefs.h"

/* Colour roles; with colour off each maps to a monochrome attribute. */
typedef enum draw_role {
	ROLE_NORMAL, ROLE_HEADER, ROLE_TAB, ROLE_TAB_ACTIVE, ROLE_COLUMNS, ROLE_SELECTED,
	ROLE_RUNNING, ROLE_COMPLETED, ROLE_ERROR, ROLE_DIM, ROLE_KEY, ROLE_WARN, ROLE_OK,
	ROLE_COUNT
} draw_role;

/* Sets up colour pairs when color is true (after initscr), from theme where it sets a
 * role's colour (theme: PREFS_NROLES entries, or NULL for the defaults). */
void draw_init(bool color, const prefs_colour *theme);
/* The attribute of a role: its colour pair, or with colour off a monochrome one. */
attr_t draw_attr(draw_role r);
/* over drawn on base (a status on the selected row): both attributes, and over's colour
 * only when base has none of its own. */
attr_t draw_over(attr_t base, attr_t over);
/* The role a job's status is drawn in. */
draw_role draw_status_role(job_status s);
/* Draws s at (y, x) cut or padded to exactly width columns, with attr. */
void draw_fit(int y, int x, int width, const char *s, attr_t attr);
/* Draws s at (y, *x) without passing maxx and moves *x past it. */
void draw_seg(int y, int *x, int maxx, const char *s, attr_t attr);
/* Fills a line from x to x+width with spaces in attr. */
void draw_fill(int y, int x, int width, attr_t attr);
/* A blank box of h lines and w columns at (y, x) with a line frame and title in its top
 * edge (the overlays). */
void draw_frame(int y, int x, int h, int w, const char *title);

#endif
