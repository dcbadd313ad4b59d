/* Placeholder until the dashboard lands. */
#include "cli.h"

int cmd_dashboard(int argc, char **argv) { (void)argc; (void)argv; cli_error("dashboard: not built yet"); return EXIT_RUNTIME; }
