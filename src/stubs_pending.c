/* Placeholders for the commands that later modules provide; each is replaced, not kept. */
#include <stdio.h>

#include "cli.h"

int cmd_submit(int argc, char **argv) { (void)argc; (void)argv; cli_error("submit: not built yet"); return EXIT_RUNTIME; }
int cmd_worker(int argc, char **argv) { (void)argc; (void)argv; cli_error("worker: not built yet"); return EXIT_RUNTIME; }
int cmd_run(int argc, char **argv) { (void)argc; (void)argv; cli_error("run: not built yet"); return EXIT_RUNTIME; }
