/* Unit tests for ui/cell (fitting untrusted text into columns) and ui/keys (the table and
 * what its rows carry). */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cell.h"
#include "keys.h"

static char *fit(const char *s, int w)
{
	static char out[256];
	strbuf sb = STRBUF_INIT;
	cell_fit(s, w, &sb);
	snprintf(out, sizeof out, "%s", sb.buf ? sb.buf : "");
	sb_release(&sb);
	return out;
}

static char *clean(const char *s, size_t n)
{
	static char out[256];
	strbuf sb = STRBUF_INIT;
	cell_clean(s, n, &sb);
	snprintf(out, sizeof out, "%s", sb.buf ? sb.buf : "");
	sb_release(&sb);
	return out;
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");

	/* widths */
	CHECK(cell_width("abc") == 3, "cell_width(\"abc\") == 3");
	CHECK(cell_width("漢字") == 4, "cell_width(\"漢字\") == 4");
	CHECK(cell_width("é") == 1, "cell_width(\"é\") == 1");
	CHECK(cell_width("") == 0, "cell_width(\"\") == 0");

	/* padding and cutting keep exactly the width asked for */
	CHECK_STR(fit("ab", 5), "ab   ", "fit(\"ab\", 5) gives \"ab   \"");
	CHECK_STR(fit("abcdef", 4), "abc…", "fit(\"abcdef\", 4) gives \"abc…\"");
	CHECK_STR(fit("abcd", 4), "abcd", "fit(\"abcd\", 4) gives \"abcd\"");
	CHECK(cell_width(fit("漢字の目録", 5)) == 5, "cell_width(fit(\"漢字の目録\", 5)) == 5");
	CHECK_STR(fit("漢字の目録", 5), "漢字…", "fit(\"漢字の目録\", 5) gives \"漢字…\"");
	CHECK_STR(fit("漢字の目録", 6), "漢字 …", "fit(\"漢字の目録\", 6) gives \"漢字 …\"");   /* half a wide glyph becomes a space */
	CHECK_STR(fit("x", 0), "", "fit(\"x\", 0) gives \"\"");

	/* cleaning: control characters become visible, nothing reaches the terminal raw */
	CHECK_STR(clean("a\x1b[31mb", 7), "a^[[31mb", "clean(\"a\\x1b[31mb\", 7) gives \"a^[[31mb\"");
	CHECK_STR(clean("a\nb\tc", 5), "a^Jb^Ic", "clean(\"a\\nb\\tc\", 5) gives \"a^Jb^Ic\"");
	CHECK_STR(clean("\xff", 1), "\\xFF", "clean(\"\\xff\", 1) gives \"\\\\xFF\"");
	CHECK(strchr(clean("\x07\x1b\x9b", 3), 0x1b) == NULL, "strchr(clean(\"\\x07\\x1b\\x9b\", 3), 0x1b) == NULL");
	CHECK_STR(clean("\xe2\x80\xae", 3), "<U+202E>", "clean(\"\\xe2\\x80\\xae\", 3) gives \"<U+202E>\"");
	CHECK_STR(clean("\xe2\x80\x8b", 3), "\xe2\x80\x8b", "clean(\"\\xe2\\x80\\x8b\", 3) gives \"\\xe2\\x80\\x8b\"");   /* zero width space: printable, width 0 */

	/* wrapping advances through wide text */
	CHECK(cell_prefix("abcdef", 4) == 4, "cell_prefix(\"abcdef\", 4) == 4");
	CHECK(cell_prefix("漢字の", 3) == 3, "cell_prefix(\"漢字の\", 3) == 3");      /* one wide glyph (3 bytes) fits in 3 columns */
	CHECK(cell_prefix("漢", 1) == 3, "cell_prefix(\"漢\", 1) == 3");          /* never stuck: at least one character */

	/* the key table: every binding reachable, help and quit in the footer, readonly hides
	 * clear and cancel, cancel needs a running job */
	CHECK(keys_lookup('q', KEYS_TABLE) == ACT_QUIT, "keys_lookup('q', KEYS_TABLE) == ACT_QUIT");
	CHECK(keys_lookup('q', KEYS_DETAIL) == ACT_QUIT, "keys_lookup('q', KEYS_DETAIL) == ACT_QUIT");
	CHECK(keys_lookup('c', KEYS_TABLE) == ACT_CLEAR, "keys_lookup('c', KEYS_TABLE) == ACT_CLEAR");
	CHECK(keys_lookup('c', KEYS_DETAIL) == ACT_NONE, "keys_lookup('c', KEYS_DETAIL) == ACT_NONE");
	CHECK(keys_lookup('x', KEYS_TABLE) == ACT_CANCEL, "keys_lookup('x', KEYS_TABLE) == ACT_CANCEL");
	CHECK(keys_lookup('x', KEYS_DETAIL) == ACT_CANCEL, "keys_lookup('x', KEYS_DETAIL) == ACT_CANCEL");
	CHECK(keys_lookup('f', KEYS_DETAIL) == ACT_FOLLOW, "keys_lookup('f', KEYS_DETAIL) == ACT_FOLLOW");
	CHECK(keys_lookup('j', KEYS_TABLE) == ACT_DOWN, "keys_lookup('j', KEYS_TABLE) == ACT_DOWN");
	CHECK(keys_lookup(27, KEYS_TABLE) == ACT_BACK, "keys_lookup(27, KEYS_TABLE) == ACT_BACK");
	int n;
	const key_binding *t = keys_table(&n);
	keys_ctx ro = { KEYS_TABLE, true, false, false, false, true, false, false, false, false, false, false };
	keys_ctx rw = { KEYS_TABLE, false, false, false, false, true, false, false, false, false, false, false };
	keys_ctx ro_run = { KEYS_TABLE, true, false, false, true, true, false, false, false, false, false, false };
	keys_ctx rw_run = { KEYS_TABLE, false, false, false, true, true, false, false, false, false, false, false };
	int seen[ACT_COUNT] = { 0 };
	for (int i = 0; i < n; i++) {
		seen[t[i].act] = 1;
		if (t[i].act == ACT_CLEAR) {
			CHECK(!keys_available(&t[i], &ro), "readonly hides the clear key");
			CHECK(keys_available(&t[i], &rw), "clear is offered when not readonly");
		}
		if (t[i].act == ACT_CANCEL) {
			CHECK(!keys_available(&t[i], &rw), "x is offered only for a running job");
			CHECK(keys_available(&t[i], &rw_run), "x is offered for a running job");
			CHECK(!keys_available(&t[i], &ro_run), "readonly hides the cancel key");
		}
		if (t[i].act == ACT_DOWNLOAD) {
			keys_ctx file = rw;
			file.has_download = true;
			CHECK(!keys_available(&t[i], &rw), "d is offered only for a job that made a file");
			CHECK(keys_available(&t[i], &file), "d is offered for a job that made a file");
		}
		if (t[i].act == ACT_OPEN)
			CHECK(!keys_available(&t[i], &rw), "o is offered only for a job with a record");   /* needs a record */
		if (t[i].act == ACT_ENTER) {
			keys_ctx none = { KEYS_TABLE, false, false, false, false, false, false, false, false, false, false, false };
			CHECK(keys_available(&t[i], &rw), "Enter is offered with a job selected");
			CHECK(!keys_available(&t[i], &none), "Enter is not offered with no job to open");
		}
		/* no key is bound twice in the same place */
		for (int j = i + 1; j < n; j++)
			for (int a = 0; a < 4 && t[i].keys[a]; a++)
				for (int b = 0; b < 4 && t[j].keys[b]; b++)
					if (t[i].keys[a] == t[j].keys[b])
						CHECK(!(t[i].where & t[j].where), "a key bound twice is bound in different panes");
	}
	int missing = 0;
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
		missing += !seen[a];
	CHECK(missing == 0, "every action has a key in the table");

	/* the rows carry the behaviour: a handler each, one row per request and place, the
	 * footer words that change, help and quit always in the footer */
	int no_handler = 0, twice = 0, pinned = 0;
	for (int i = 0; i < n; i++) {
		no_handler += t[i].run == NULL;
		pinned += t[i].pinned;
		for (int j = i + 1; j < n; j++)
			twice += t[i].act == t[j].act && (t[i].where & t[j].where);
	}
	CHECK(no_handler == 0, "every row has a handler");
	CHECK(twice == 0, "no request has two rows in the same place");
	CHECK(pinned == 2 && keys_find('?', KEYS_TABLE)->pinned && keys_find('q', KEYS_DETAIL)->pinned,
	      "help and quit, and only they, are pinned in the footer");
	CHECK(keys_find('j', KEYS_TABLE)->run != keys_find('j', KEYS_DETAIL)->run,
	      "j moves the selection in the table and scrolls in the detail pane");
	CHECK(keys_find_act(ACT_CANCEL, KEYS_DETAIL) == keys_find('x', KEYS_TABLE),
	      "x is one row for both panes");
	CHECK(keys_find_act(ACT_FOLLOW, KEYS_TABLE) == NULL, "follow has no row in the table");
	const key_binding *f = keys_find('f', KEYS_DETAIL), *au = keys_find('a', KEYS_TABLE);
	keys_ctx following = { KEYS_DETAIL, false, false, false, true, true, true, true, false, false, false, false };
	CHECK_STR(keys_label(f, &rw), "follow", "f reads 'follow' in the footer");
	CHECK_STR(keys_label(f, &following), "unfollow", "…and 'unfollow' while following");
	CHECK_STR(keys_label(au, &following), "auto off", "a reads 'auto off' while auto refresh is on");
	CHECK_STR(keys_label(au, &rw), "auto on", "…and 'auto on' while it is off");
	CHECK(keys_label(keys_find(27, KEYS_TABLE), &rw) == NULL, "Esc in the table has no footer word");
	CHECK(keys_find(27, KEYS_TABLE) != keys_find(27, KEYS_DETAIL),
	      "Esc clears the filter in the table and goes back in the detail pane");
	CHECK(keys_find(27, KEYS_ANY) != NULL && keys_lookup('z', KEYS_ANY) == ACT_NONE,
	      "overlays read keys of every place; an unbound key is no request");
	return CHECK_DONE();
}
