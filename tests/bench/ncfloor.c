/* ncfloor.c — the least a curses program can do: the floor under the dashboard's "start to
 * first screen" and "key to screen" in the benchmark. It starts curses, draws a marker,
 * and on each key draws another text; q or a signal ends it. */
#include <curses.h>
#include <locale.h>

int main(void)
{
	setlocale(LC_ALL, "");
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	mvaddstr(1, 2, "Bench marker");
	refresh();
	for (int c; (c = getch()) != 'q' && c != ERR;) {
		mvaddstr(1, 2, "QXZW-JKVYT#%");
		refresh();
	}
	endwin();
	return 0;
}
