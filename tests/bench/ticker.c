/* ticker.c — a streaming job for the benchmark (tests/bench/stream.sh): prints RATE lines a
 * second for SECONDS seconds, each line known in advance, on absolute deadlines so that a
 * late write does not slow the rate down.
 *
 *   ticker JOB RATE SECONDS
 *
 * Line N (1 to RATE * SECONDS) is "job JOB line N/TOTAL " filled up to 63 bytes with the
 * digits 0123456789 repeated, then a newline: stream.sh checks every stored line against it.
 * Each line is one write(2), so the worker reads whole lines as soon as they are due. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_LEN 63

static int write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: ticker JOB RATE SECONDS\n", stderr);
		return 2;
	}
	const char *job = argv[1];
	long rate = atol(argv[2]), seconds = atol(argv[3]);
	if (rate < 1 || rate > 100000 || seconds < 0 || seconds > 86400 || strlen(job) > 20) {
		fputs("ticker: RATE 1 to 100000, SECONDS 0 to 86400\n", stderr);
		return 2;
	}
	long total = rate * seconds;
	long step = 1000000000L / rate;
	struct timespec due;
	clock_gettime(CLOCK_MONOTONIC, &due);
	for (long n = 1; n <= total; n++) {
		char line[LINE_LEN + 2];
		int k = snprintf(line, sizeof line, "job %s line %ld/%ld ", job, n, total);
		for (int i = 0; k < LINE_LEN; i++)
			line[k++] = (char)('0' + i % 10);
		line[k++] = '\n';
		if (write_all(line, (size_t)k) < 0)
			return 1;
		due.tv_nsec += step;
		while (due.tv_nsec >= 1000000000L) {
			due.tv_nsec -= 1000000000L;
			due.tv_sec++;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
			;
	}
	return 0;
}
