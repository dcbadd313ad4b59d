/* prefs.c — see prefs.h. */
#include "prefs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conffile.h"
#include "config.h"
#include "filter.h"
#include "util.h"

enum { K_INTERVAL, K_AUTO, K_MOUSE, K_FILTER, K_EXPORT, K_COLOUR };

#define COLOURS "[bold] [FG] [on BG]"
/* The colour keys follow in prefs_role order from K_COLOUR. */
const prefs_key prefs_keys[] = {
	[K_INTERVAL] = { "dashboard.interval", "SECONDS", "auto refresh period, 1 to 3600 (default 5; --interval wins)" },
	[K_AUTO] = { "dashboard.auto-refresh", "on|off", "auto refresh when the dashboard opens (default on; --auto, --no-auto win)" },
	[K_MOUSE] = { "dashboard.mouse", "on|off", "use the terminal's mouse (default on; --mouse, --no-mouse win)" },
	[K_FILTER] = { "dashboard.filter", "FILTER", "the filter the dashboard opens with, as typed after / (default none)" },
	[K_EXPORT] = { "dashboard.export-dir", "FOLDER", "the folder the export offers (default the current one; JOBDECK_EXPORT_DIR wins)" },
	[K_COLOUR + PREFS_HEADER] = { "colour.header", COLOURS, "the title line (default black on cyan)" },
	[K_COLOUR + PREFS_TAB] = { "colour.tab", COLOURS, "the open tab (default bold white on blue)" },
	[K_COLOUR + PREFS_SELECTED] = { "colour.selected", COLOURS, "the selected row (default reverse)" },
	[K_COLOUR + PREFS_RUNNING] = { "colour.running", COLOURS, "running jobs (default bold yellow)" },
	[K_COLOUR + PREFS_COMPLETED] = { "colour.completed", COLOURS, "completed jobs, good news (default green)" },
	[K_COLOUR + PREFS_ERROR] = { "colour.error", COLOURS, "failed jobs, errors and warnings (default bold red)" },
	[K_COLOUR + PREFS_KEYS] = { "colour.keys", COLOURS, "keys in the help and the footer, frames (default bold cyan)" },
};
const size_t prefs_nkeys = ARRAY_SIZE(prefs_keys);

void prefs_init(prefs *p)
{
	memset(p, 0, sizeof *p);
	p->auto_refresh = -1;
	p->mouse = -1;
}

void prefs_release(prefs *p)
{
	free(p->filter);
	free(p->export_dir);
	prefs_init(p);
}

static int parse_bool(const char *v)
{
	static const char *const yes[] = { "on", "true", "yes", "1" }, *const no[] = { "off", "false", "no", "0" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* A colour's name or number; -2 when it is neither. */
static short colour_number(const char *w)
{
	static const char *const names[] = { "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white" };
	if (strcasecmp(w, "default") == 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(w, names[i]) == 0)
			return (short)i;
	int64_t n = parse_count(w);
	return n >= 0 && n <= 255 ? (short)n : -2;
}

static int parse_colour(char *v, prefs_colour *c, const conf_where *w, const char *key)
{
	static const struct { const char *name; unsigned bit; } attrs[] = {
		{ "bold", PREFS_BOLD }, { "underline", PREFS_UNDERLINE }, { "reverse", PREFS_REVERSE }, { "dim", PREFS_DIM },
	};
	prefs_colour out = { true, -1, -1, 0 };
	bool have_fg = false, on = false, have_bg = false;
	char *save = NULL;
	for (char *word = strtok_r(v, " \t", &save); word; word = strtok_r(NULL, " \t", &save)) {
		size_t i = 0;
		while (i < ARRAY_SIZE(attrs) && strcasecmp(word, attrs[i].name) != 0)
			i++;
		if (i < ARRAY_SIZE(attrs) && !on) {
			out.attrs |= attrs[i].bit;
			continue;
		}
		if (strcasecmp(word, "on") == 0 && !on) {
			on = true;
			continue;
		}
		short n = colour_number(word);
		if (n < -1)
			return conf_bad(w, "%s: '%s' is no colour (black, red, green, yellow, blue, magenta, cyan, white, default, 0 to 255)", key, word);
		if (on ? have_bg : have_fg)
			return conf_bad(w, "%s: expected %s, found '%s'", key, COLOURS, word);
		if (on) {
			out.bg = n;
			have_bg = true;
		} else {
			out.fg = n;
			have_fg = true;
		}
	}
	if (on && !have_bg)
		return conf_bad(w, "%s: 'on' needs a background colour", key);
	if (!have_fg && !have_bg && !out.attrs)
		return conf_bad(w, "%s: expected %s", key, COLOURS);
	*c = out;
	return 0;
}

static int set_key(prefs *p, size_t k, char *v, const conf_where *w)
{
	const char *key = prefs_keys[k].name;
	int64_t n;
	int b;
	char err[200];
	filter f;
	switch (k) {
	case K_INTERVAL:
		if ((n = parse_count(v)) < 1 || n > 3600)
			return conf_bad(w, "%s takes whole seconds from 1 to 3600, not '%s'", key, v);
		p->interval = (int)n;
		return 0;
	case K_AUTO: case K_MOUSE:
		if ((b = parse_bool(v)) < 0)
			return conf_bad(w, "%s takes on or off, not '%s'", key, v);
		*(k == K_AUTO ? &p->auto_refresh : &p->mouse) = b;
		return 0;
	case K_FILTER:
		if (strlen(v) >= 1024)
			return conf_bad(w, "%s is too long", key);
		n = filter_parse(v, jd_now(), &f, err, sizeof err);
		filter_release(&f);
		if (n < 0)
			return conf_bad(w, "%s: %s", key, err);
		free(p->filter);
		p->filter = xstrdup(v);
		return 0;
	case K_EXPORT:
		if (!*v)
			return conf_bad(w, "%s needs a folder", key);
		free(p->export_dir);
		p->export_dir = config_expand_home(v);
		return 0;
	default:
		return parse_colour(v, &p->colour[k - K_COLOUR], w, key);
	}
}

/* What the parse needs: the settings and the section being read ("" before any). */
struct parse_state {
	prefs *p;
	char section[32];
};

/* "color" is "colour" */
static const char *spelling(const char *s)
{
	return strcasecmp(s, "color") == 0 ? "colour" : s;
}

static bool known_section(const char *s)
{
	size_t n = strlen(s);
	for (size_t k = 0; k < prefs_nkeys; k++)
		if (strncmp(prefs_keys[k].name, s, n) == 0 && prefs_keys[k].name[n] == '.')
			return true;
	return false;
}

static int section(void *ctx, char *inner, const conf_where *w)
{
	struct parse_state *ps = ctx;
	const char *s = spelling(inner);
	if (!known_section(s))
		return conf_bad(w, "unknown section [%s]", inner);
	snprintf(ps->section, sizeof ps->section, "%s", s);
	return 0;
}

static int setting(void *ctx, char *key, char *value, const conf_where *w)
{
	struct parse_state *ps = ctx;
	char full[96];
	/* a whole key outside a section; its first part may be spelt "color" */
	const char *dot = strchr(key, '.');
	if (ps->section[0])
		snprintf(full, sizeof full, "%s.%s", ps->section, key);
	else if (dot && strncasecmp(key, "color.", 6) == 0)
		snprintf(full, sizeof full, "colour.%s", dot + 1);
	else
		snprintf(full, sizeof full, "%s", key);
	for (size_t k = 0; k < prefs_nkeys; k++)
		if (strcmp(prefs_keys[k].name, full) == 0)
			return set_key(ps->p, k, value, w);
	return conf_bad(w, "unknown key '%s'", full);
}

int prefs_parse(const char *text, const char *origin, prefs *p, char *err, size_t errlen)
{
	struct parse_state ps = { p, "" };
	return conf_parse(text, origin, section, setting, &ps, err, errlen);
}

int prefs_load(const char *path, bool missing_ok, prefs *p, char *err, size_t errlen)
{
	strbuf sb = STRBUF_INIT;
	int rc = conf_read(path, "the settings file", missing_ok, &sb, err, errlen);
	if (rc == 0)
		rc = prefs_parse(sb.buf, path, p, err, errlen);
	sb_release(&sb);
	return rc < 0 ? -1 : 0;
}
