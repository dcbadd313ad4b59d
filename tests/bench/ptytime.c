/* ptytime.c — times a terminal program the way its user meets it: on a pseudo-terminal,
 * from the moment it starts (or a key is sent) to the moment the bytes carrying a marker
 * text arrive. No screen is polled: every byte is timestamped as it is read.
 *
 *   ptytime [-n RUNS] [-c COLS] [-l LINES] -m TEXT [-k KEY -r TEXT [-p CMD] [-a CMD]] -- PROGRAM [ARGS...]
 *
 *   -m TEXT   the first screen is there when TEXT has been written
 *   -k KEY    then send KEY (one byte) ...
 *   -r TEXT   ... and time until TEXT is written after it
 *   -p CMD    a shell command run before the key is sent (not timed): the change to show
 *   -a CMD    a shell command run after each run: undoes -p
 *
 * Escape sequences are removed from the stream before the texts are searched, so a change
 * of colour inside a text does not hide it; pick texts whose every character differs from
 * what was on screen at the same place, or curses may skip the cells that did not change.
 * Prints one line: runs=N start_p50_ms=.. start_p95_ms=.. [key_p50_ms=.. key_p95_ms=..]
 * Exits 1 when a run did not show its text within 10 s. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 200
#define TEXT_MAX (1 << 20)

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The printable text of a terminal stream, escape sequences removed, kept across reads. */
struct stream {
	char text[TEXT_MAX];
	size_t len;
	int esc;                /* 0 text, 1 after ESC, 2 inside CSI, 3 after ESC ( or ) */
};

static void feed(struct stream *s, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		switch (s->esc) {
		case 1:
			s->esc = c == '[' ? 2 : (c == '(' || c == ')') ? 3 : 0;
			continue;
		case 2:
			if (c >= 0x40 && c <= 0x7e)
				s->esc = 0;
			continue;
		case 3:
			s->esc = 0;
			continue;
		}
		if (c == 0x1b) {
			s->esc = 1;
			continue;
		}
		if (c < 0x20)
			continue;
		if (s->len + 1 >= TEXT_MAX) {   /* keep the newest half */
			memmove(s->text, s->text + TEXT_MAX / 2, s->len - TEXT_MAX / 2);
			s->len -= TEXT_MAX / 2;
		}
		s->text[s->len++] = (char)c;
		s->text[s->len] = '\0';
	}
}

/* Reads from fd until text appears in what arrives from now on; the time it arrived, or -1. */
static double wait_text(int fd, struct stream *s, const char *text, double deadline)
{
	size_t from = s->len;
	unsigned char buf[65536];
	for (;;) {
		double left = deadline - now_ms();
		if (left <= 0)
			return -1;
		struct pollfd pfd = { fd, POLLIN, 0 };
		int r = poll(&pfd, 1, (int)left + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		ssize_t n = read(fd, buf, sizeof buf);
		double at = now_ms();
		if (n <= 0)
			return -1;
		feed(s, buf, (size_t)n);
		if (from > s->len)      /* the text buffer was halved */
			from = 0;
		size_t back = strlen(text) + (size_t)n;
		size_t start = s->len > back ? s->len - back : 0;
		if (start < from)
			start = from;
		if (strstr(s->text + start, text))
			return at;
	}
}

/* Reads whatever else the program writes for ms milliseconds (so it never blocks on a full pty). */
static void drain(int fd, struct stream *s, int ms)
{
	double end = now_ms() + ms;
	unsigned char buf[65536];
	while (now_ms() < end) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		if (poll(&pfd, 1, 10) > 0) {
			ssize_t n = read(fd, buf, sizeof buf);
			if (n <= 0)
				return;
			feed(s, buf, (size_t)n);
		}
	}
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i];
}

static void shell(const char *cmd)
{
	if (cmd && system(cmd) != 0)
		fprintf(stderr, "ptytime: '%s' failed\n", cmd);
}

int main(int argc, char **argv)
{
	int runs = 10, cols = 120, lines = 40, opt;
	const char *marker = NULL, *key = NULL, *after_key = NULL, *prep = NULL, *undo = NULL;
	while ((opt = getopt(argc, argv, "+n:c:l:m:k:r:p:a:")) != -1) {
		switch (opt) {
		case 'n': runs = atoi(optarg); break;
		case 'c': cols = atoi(optarg); break;
		case 'l': lines = atoi(optarg); break;
		case 'm': marker = optarg; break;
		case 'k': key = optarg; break;
		case 'r': after_key = optarg; break;
		case 'p': prep = optarg; break;
		case 'a': undo = optarg; break;
		default: return 2;
		}
	}
	if (!marker || optind >= argc || runs < 1 || runs > MAX_RUNS || (key && !after_key)) {
		fputs("usage: ptytime [-n RUNS] [-c COLS] [-l LINES] -m TEXT [-k KEY -r TEXT [-p CMD] [-a CMD]] -- PROGRAM [ARGS...]\n", stderr);
		return 2;
	}
	static struct stream s;
	double start[MAX_RUNS], keyed[MAX_RUNS];
	setenv("TERM", "xterm-256color", 1);
	for (int i = 0; i < runs; i++) {
		struct winsize ws = { (unsigned short)lines, (unsigned short)cols, 0, 0 };
		int fd;
		double t0 = now_ms();
		pid_t pid = forkpty(&fd, NULL, NULL, &ws);
		if (pid < 0) {
			perror("ptytime: forkpty");
			return 1;
		}
		if (pid == 0) {
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "ptytime: %s: %s\n", argv[optind], strerror(errno));
			_exit(127);
		}
		s.len = 0;
		s.esc = 0;
		s.text[0] = '\0';
		double t1 = wait_text(fd, &s, marker, t0 + 10000);
		int failed = t1 < 0;
		if (!failed) {
			start[i] = t1 - t0;
			if (key) {
				drain(fd, &s, 300);     /* the rest of the first screen, and quiet */
				shell(prep);
				drain(fd, &s, 50);
				double k0 = now_ms();
				if (write(fd, key, 1) != 1)
					failed = 1;
				double k1 = failed ? -1 : wait_text(fd, &s, after_key, k0 + 10000);
				failed = k1 < 0;
				keyed[i] = k1 - k0;
			}
		}
		kill(pid, SIGTERM);
		drain(fd, &s, 20);
		close(fd);
		waitpid(pid, NULL, 0);
		shell(undo);
		if (failed) {
			/* what came last, for telling a slow program from one that showed something else */
			size_t tail = s.len > 400 ? s.len - 400 : 0;
			fprintf(stderr, "ptytime: run %d: '%s' not seen in 10 s; the last text: %s\n", i + 1,
				t1 < 0 ? marker : after_key, s.text + tail);
			return 1;
		}
	}
	printf("runs=%d start_p50_ms=%.1f start_p95_ms=%.1f", runs, pct(start, runs, 0.5), pct(start, runs, 0.95));
	if (key)
		printf(" key_p50_ms=%.1f key_p95_ms=%.1f", pct(keyed, runs, 0.5), pct(keyed, runs, 0.95));
	putchar('\n');
	return 0;
}
