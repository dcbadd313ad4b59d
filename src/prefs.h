/* prefs.h — the dashboard's settings file ($XDG_CONFIG_HOME/jobdeck/config, see config.h),
 * in the task file's format (conffile.h):
 *
 *   [dashboard]
 *   interval = 10
 *   auto-refresh = off
 *   filter = status:error since:2d
 *   [colour]
 *   error = bold magenta
 *   selected = black on yellow
 *
 * A key is SECTION.NAME: written under its [SECTION], or whole outside any section
 * ("colour.error = red"); "color" is taken for "colour". prefs_keys is the list of keys, which
 * the man page documents (a test compares them). The command line overrides the file, and so
 * do the environment's variables for what they set (JOBDECK_EXPORT_DIR, NO_COLOR). */
#ifndef JOBDECK_PREFS_H
#define JOBDECK_PREFS_H

#include <stdbool.h>
#include <stddef.h>

/* The dashboard's colour roles a theme may set. */
typedef enum prefs_role {
	PREFS_HEADER, PREFS_TAB, PREFS_SELECTED, PREFS_RUNNING, PREFS_COMPLETED, PREFS_ERROR,
	PREFS_KEYS, PREFS_NROLES
} prefs_role;

/* Attributes of a colour spec. */
enum { PREFS_BOLD = 1, PREFS_UNDERLINE = 2, PREFS_REVERSE = 4, PREFS_DIM = 8 };

/* "[bold|underline|reverse|dim]... [FG] [on BG]": colours are the terminal's numbers,
 * 0 to 7 in the curses order (black red green yellow blue magenta cyan white) or up to 255,
 * -1 the terminal's default. */
typedef struct prefs_colour {
	bool set;
	short fg, bg;
	unsigned attrs;
} prefs_colour;

typedef struct prefs {
	int interval;            /* seconds; 0: not set */
	int auto_refresh;        /* 0, 1; -1: not set */
	int mouse;               /* 0, 1; -1: not set */
	char *filter;            /* NULL: not set */
	char *export_dir;        /* NULL: not set; ~ expanded */
	prefs_colour colour[PREFS_NROLES];
} prefs;

/* One key: its name, its value's form and what it sets (for the man page and a test). */
typedef struct prefs_key {
	const char *name;
	const char *value;
	const char *meaning;
} prefs_key;
extern const prefs_key prefs_keys[];
extern const size_t prefs_nkeys;

/* Nothing set. */
void prefs_init(prefs *p);
void prefs_release(prefs *p);
/* Parses the text of a settings file into p (prefs_init first). origin names it in messages
 * ("config:3: unknown key 'colour.foo'"). 0, or -1 with one line in err. */
int prefs_parse(const char *text, const char *origin, prefs *p, char *err, size_t errlen);
/* Reads and parses path; a file that does not exist sets nothing when missing_ok. */
int prefs_load(const char *path, bool missing_ok, prefs *p, char *err, size_t errlen);

#endif
