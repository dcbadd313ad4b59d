/* cli.h — the subcommands and what they share: exit codes, opening the database. */
#ifndef JOBDECK_CLI_H
#define JOBDECK_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "db.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* Each subcommand: argv[0] is its name; returns the process exit code. */
typedef int (*cli_fn)(int argc, char **argv);

int cmd_dashboard(int argc, char **argv);   /* ui/app.c */
int cmd_migrate(int argc, char **argv);     /* src/cli.c */
int cmd_user(int argc, char **argv);
int cmd_demo_seed(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_clear(int argc, char **argv);
int cmd_cancel(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_submit(int argc, char **argv);      /* src/submit.c */
int cmd_worker(int argc, char **argv);      /* src/worker.c */
int cmd_run(int argc, char **argv);         /* src/run.c */

/* Writes n bytes of s to f through text_sanitize, the dashboard's sanitiser, so nothing a job
 * or the database put in them can act on a terminal; newlines and tabs stay when keep_lines.
 * Every job-controlled string a command prints goes through here. */
void cli_put_text(FILE *f, const char *s, size_t n, int keep_lines);
/* Prints "jobdeck: <message>" on standard error, the message through the sanitiser. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "jobdeck CMD: <message>" (through the sanitiser) and "Try 'jobdeck CMD --help'.";
 * returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Connects with --db or libpq's defaults; on failure prints one line and returns NULL. */
db *cli_connect(void);
/* Prints db_error() as one line; returns EXIT_RUNTIME. */
int cli_db_fail(db *d);

#endif
