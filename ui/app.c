/* app.c — the dashboard: the one event loop and the table of views.
 *
 * The loop polls the terminal, the session's result pipe and a signal pipe. A key goes to
 * the top view (an open prompt, else an overlay, else the focused pane), through the key
 * table to the handler of its row; handlers change the context and return flags, and the
 * loop alone asks for data and redraws, drawing every shown view, panes first. Nothing here
 * talks to PostgreSQL: src/session does, on its own thread. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "dashboard.h"
#include "detail.h"
#include "draw.h"
#include "help.h"
#include "keys.h"
#include "prompt.h"
#include "question.h"
#include "record.h"
#include "statusbar.h"
#include "table.h"
#include "tabs.h"
#include "ui.h"
#include "view.h"
#include "wview.h"

#define MIN_COLS 60
#define MIN_LINES 12

/* ==== the views ====
 *
 * Every view of the dashboard, panes in drawing order. Which one takes the keys follows
 * from its layer (view.h), not from its place here. */
static const ui_view *const views[] = {
	&table_view,
	&detail_view,
	&wview_view,     /* over both panes while it has the focus */
	&help_view,
	&record_view,
	&prompt_view,
	&question_view,
};

/* The view that takes the keys: an open prompt (when prompts count), else an open
 * overlay, else the focused pane. NULL only when no pane has the focus. */
static const ui_view *top_view(const ui *u, bool prompts)
{
	for (int layer = UI_LAYER_PROMPT; layer >= UI_LAYER_PANE; layer--) {
		if (layer == UI_LAYER_PROMPT && !prompts)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(views); i++) {
			const ui_view *v = views[i];
			if ((int)v->layer == layer && v->shown(u) && (layer != UI_LAYER_PANE || v->place == u->m.focus))
				return v;
		}
	}
	return NULL;
}

/* Runs a request on the top view, prompts aside (they take text, not requests): an
 * overlay takes it whole; a pane runs the request's row in its place. */
static int dispatch(ui *u, ui_action act)
{
	const ui_view *v = top_view(u, false);
	u->m.message[0] = '\0';
	if (!v)
		return 0;
	if (v->action)
		return v->action(u, act);
	const key_binding *b = keys_find_act(act, v->place);
	return b && b->run ? b->run(u) : 0;
}

/* ==== terminal restore: on quit, on signals, on crashes ==== */

static struct termios saved_tty;
static volatile sig_atomic_t tty_saved, curses_on;
static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t quit_signal;

static void restore_raw(void)
{
	static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l\033[0m\033[?25h\033[?1049l";
	if (tty_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	ssize_t rc = write(STDOUT_FILENO, reset, sizeof reset - 1);
	(void)rc;
}

static void on_crash(int sig)
{
	if (curses_on)
		restore_raw();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_quit_signal(int sig)
{
	quit_signal = sig;
	char b = 1;
	ssize_t rc = write(sig_pipe[1], &b, 1);
	(void)rc;
}

/* Set when the terminal type has no alternate screen of its own (vt100): the dashboard
 * asks for xterm's, which restores what was on the screen when it quits. */
static volatile sig_atomic_t own_alt;

static void leave_alt(void)
{
	static const char leave[] = "\033[?1049l";
	if (!own_alt)
		return;
	own_alt = 0;
	ssize_t rc = write(STDOUT_FILENO, leave, sizeof leave - 1);
	(void)rc;
}

static void enter_alt(void)
{
	static const char enter[] = "\033[?1049h";
	char *smcup = tigetstr("smcup");
	if (smcup && smcup != (char *)-1)
		return;
	fflush(stdout);
	ssize_t rc = write(STDOUT_FILENO, enter, sizeof enter - 1);
	(void)rc;
	own_alt = 1;
	clearok(curscr, TRUE);
}

static void at_exit_restore(void)
{
	if (curses_on) {
		endwin();
		curses_on = 0;
		leave_alt();
	}
}

static void install_signals(void)
{
	signals_on_stop(on_quit_signal);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	for (size_t i = 0; i < ARRAY_SIZE(crash); i++)
		sigaction(crash[i], &sa, NULL);
}

/* ==== drawing ==== */

static void layout(ui_model *m)
{
	m->too_small = COLS < MIN_COLS || LINES < MIN_LINES;
	int body = LINES - 4;        /* header, tabs, column headings, footer */
	int detail = body * 2 / 5;
	if (detail < 7)
		detail = body >= 14 ? 7 : body / 2;
	if (m->focus == KEYS_DETAIL)
		detail = body - 3;       /* the selected row and two neighbours stay in view */
	m->rows_y = 3;
	m->rows_h = body - detail;
	m->detail_y = m->rows_y + m->rows_h;
	m->detail_h = detail;
}

static void draw_too_small(void)
{
	char buf[120];
	snprintf(buf, sizeof buf, "Terminal too small (%dx%d).", COLS, LINES);
	mvaddstr(LINES / 2 - 1, 0, buf);
	snprintf(buf, sizeof buf, "jobdeck needs at least %dx%d; q quits.", MIN_COLS, MIN_LINES);
	mvaddstr(LINES / 2, 0, buf);
}

/* The header and tab line, every shown view by layer, and the footer unless a prompt
 * stands on it (a line prompt leaves the cursor in its text: it is drawn last). */
static void draw_all(ui *u)
{
	ui_model *m = &u->m;
	erase();
	layout(m);
	curs_set(0);
	if (m->too_small) {
		draw_too_small();
		refresh();
		return;
	}
	statusbar_header(m, 0, COLS);
	tabs_draw(m, 1, COLS);
	for (int layer = UI_LAYER_PANE; layer <= UI_LAYER_OVERLAY; layer++)
		for (size_t i = 0; i < ARRAY_SIZE(views); i++)
			if ((int)views[i]->layer == layer && views[i]->shown(u))
				views[i]->draw(u);
	const ui_view *top = top_view(u, true);
	if (top && top->layer == UI_LAYER_PROMPT)
		top->draw(u);
	else
		statusbar_footer(m, LINES - 1, COLS);
	refresh();
}

/* ==== input ==== */

/* The wheel scrolls whatever takes the keys; a click on a tab switches to it, on a pane
 * focuses it (and on a row selects it); clicks wait while a prompt or overlay is open. */
static int on_mouse(ui *u)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || u->m.too_small)
		return 0;
	if (ev.bstate & BUTTON4_PRESSED)
		return dispatch(u, ACT_UP);
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED)
		return dispatch(u, ACT_DOWN);
#endif
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED)))
		return 0;
	if (u->prompt || u->overlay || u->m.focus == KEYS_WORKERS)
		return 0;
	u->m.message[0] = '\0';
	if (ev.y == 1)
		return tabs_click(u, ev.x);
	for (size_t i = 0; i < ARRAY_SIZE(views); i++) {
		const ui_view *v = views[i];
		int flags = v->layer == UI_LAYER_PANE && v->click && v->shown(u) ? v->click(u, ev.y, ev.x) : 0;
		if (flags)
			return flags;
	}
	return 0;
}

static int on_key(ui *u, int rc, wint_t wch)
{
	ui_model *m = &u->m;
	bool is_key = rc == KEY_CODE_YES;
	layout(m);   /* an earlier key of this batch may have changed the panes */
	if (is_key && wch == KEY_RESIZE)
		return UI_REDRAW;
	if (is_key && wch == KEY_MOUSE)
		return on_mouse(u);
	const ui_view *v = top_view(u, true);
	if (v && v->layer == UI_LAYER_PROMPT)
		return v->input(u, is_key, wch);
	if (m->too_small)
		return (!is_key && wch == 'q') ? UI_QUIT : 0;
	if (!v)
		return 0;
	int key = is_key ? (int)wch : (wch < 128 ? (int)wch : -1);
	const key_binding *b = keys_find(key, v->place);
	if (!b)
		return v->unbound ? v->unbound(u) : 0;
	return dispatch(u, b->act);
}

/* ==== the loop ==== */

/* How long poll may sleep: until the next timer or pending read, at most a second. */
static int poll_wait(const ui *u)
{
	int64_t now = ui_now_ms(), wait = 1000;
	if (u->next_timer && u->next_timer - now < wait)
		wait = u->next_timer - now;
	if (u->pending_fetch && u->pending_fetch - now < wait)
		wait = u->pending_fetch - now;
	if (u->pending_output && u->pending_output - now < wait)
		wait = u->pending_output - now;
	return wait < 0 ? 0 : (int)wait;
}

/* Requests held while the tab's first page was on its way, now that it is here. */
static int replay_held(ui *u)
{
	int flags = 0;
	if (!u->nheld || !u->m.loaded)
		return 0;
	ui_action held[ARRAY_SIZE(u->held)];
	int nheld = u->nheld;
	memcpy(held, u->held, sizeof held);
	u->nheld = 0;
	for (int i = 0; i < nheld; i++)
		flags |= dispatch(u, held[i]);
	return flags;
}

/* The timer and notifications that are due ask for a read. */
static int timers_due(ui *u)
{
	int64_t now = ui_now_ms();
	int flags = 0;
	if (u->next_timer && now >= u->next_timer) {
		flags |= UI_FETCH;
		ui_arm_timer(u);
	}
	if (u->pending_fetch && now >= u->pending_fetch) {
		flags |= UI_FETCH;
	} else if (u->pending_output && now >= u->pending_output) {
		if (u->m.auto_on || (flags & UI_FETCH)) {
			flags |= UI_FETCH;
		} else {
			/* following with auto refresh off: the output only, the rows stay */
			ui_request_view(u, SESSION_AT);
			u->output_seq = u->view_seq;
		}
	}
	return flags;
}

static int run(ui *u)
{
	int flags = UI_REDRAW;
	while (!quit_signal) {
		if (flags & UI_FETCH)
			ui_request_view(u, SESSION_AT);
		if (flags & UI_REDRAW)
			draw_all(u);
		if (flags & UI_QUIT)
			return 0;
		flags = 0;
		struct pollfd p[3] = {
			{ STDIN_FILENO, POLLIN, 0 }, { session_fd(u->s), POLLIN, 0 }, { sig_pipe[0], POLLIN, 0 },
		};
		if (poll(p, 3, poll_wait(u)) < 0 && errno != EINTR)
			return 1;
		/* keys first: ncurses may hold some already (and KEY_RESIZE after SIGWINCH) */
		wint_t wch;
		int k;
		while (!(flags & UI_QUIT) && (k = get_wch(&wch)) != ERR)
			flags |= on_key(u, k, wch);
		if (p[2].revents & POLLIN)
			break;
		/* Ask for the new selection's view before applying answers, so an answer to an
		 * older request can be recognised as stale instead of moving the selection back. */
		if (flags & UI_FETCH) {
			ui_request_view(u, SESSION_AT);
			flags &= ~UI_FETCH;
		}
		session_result *r;
		while ((r = session_next(u->s))) {
			ui_apply(u, r);
			session_result_free(r);
			flags |= UI_REDRAW;
		}
		flags |= replay_held(u);
		flags |= timers_due(u);
	}
	return 0;
}

/* ==== starting and ending ==== */

static void start_curses(bool color, bool mouse, const prefs_colour *theme)
{
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	draw_init(color, theme);
	if (mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
			  , NULL);
	mouseinterval(0);
}

int ui_dashboard(session *s, const char *user, bool admin, const ui_options *o)
{
	ui u;
	memset(&u, 0, sizeof u);
	ui_model *m = &u.m;
	m->color = o->color;
	m->mouse = o->mouse;
	m->readonly = o->readonly;
	m->interval = o->interval;
	m->auto_on = o->auto_on;
	if (o->filter)
		snprintf(m->filter, sizeof m->filter, "%s", o->filter);
	m->last_refresh = JD_TIME_NONE;
	m->tail_bytes = TAIL_BYTES;
	m->focus = KEYS_TABLE;
	m->sel = -1;
	snprintf(m->user, sizeof m->user, "%s", user);
	m->admin = admin;
	u.s = s;
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	if (tcgetattr(STDIN_FILENO, &saved_tty) == 0)
		tty_saved = 1;
	install_signals();
	atexit(at_exit_restore);
	set_escdelay(25);
	if (!initscr()) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		return -1;
	}
	enter_alt();
	start_curses(m->color, m->mouse, o->theme);
	ui_request_view(&u, SESSION_TOP);
	ui_arm_timer(&u);
	int rc = run(&u);
	endwin();
	curses_on = 0;
	leave_alt();
	ui_release(&u);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	return quit_signal ? 128 + quit_signal : rc;
}
