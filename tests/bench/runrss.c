/* runrss.c — runs a command and reports its wall time and peak resident memory, the way
 * `/usr/bin/time -v` would, without needing that package:
 *
 *   runrss OUTFILE CMD [ARGS...]
 *
 * writes "seconds=S maxrss_kb=K status=N" to OUTFILE; the command's own output passes
 * through untouched. Exits with the command's status. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: runrss OUTFILE CMD [ARGS...]\n", stderr);
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid < 0) {
		perror("runrss: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "runrss: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("runrss: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	FILE *f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "seconds=%.3f maxrss_kb=%ld status=%d\n", secs, ru.ru_maxrss, code);
	fclose(f);
	return code;
}
