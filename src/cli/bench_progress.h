/* How `hashjoule bench` shows a run in progress (private to the CLI). */
#ifndef HJ_CLI_BENCH_PROGRESS_H
#define HJ_CLI_BENCH_PROGRESS_H

#include <stdbool.h>

#include "hashjoule/bench.h"

/* Hooks that draw the progress line on stderr (only when stderr is a
 * terminal and not `quiet`), print warnings always, and status notices
 * where the progress line would be drawn. */
void hj_cli_bench_hooks(hj_bench_hooks *hooks, bool quiet);

#endif
