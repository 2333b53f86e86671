/* The progress line of `hashjoule bench` on stderr, redrawn on every report
 * of the engine: the plan item, its phase, the last rate, the power its
 * sensors read and the time left. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench_progress.h"
#include "hashjoule/format.h"

static void draw(const hj_bench_progress *p, void *arg)
{
    (void)arg;
    if (!p) { /* the run is over: clear the line */
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        return;
    }
    char rate[32] = "", watts[48] = "";
    if (p->rate_hps > 0) {
        rate[0] = ',';
        rate[1] = ' ';
        hj_format_rate(p->rate_hps, HJ_RATE_SHORT, rate + 2, sizeof rate - 2);
    }
    if (isfinite(p->power_w))
        snprintf(watts, sizeof watts, ", %.1f W", p->power_w);
    fprintf(stderr, "\r\033[K[%zu/%zu] %s: %s%s%s, %d:%02d left", p->index, p->total, p->item, p->phase, rate, watts,
            (int)p->seconds_left / 60, (int)p->seconds_left % 60);
    fflush(stderr);
}

static void notice_always(hj_bench_notice_level level, const char *message, void *arg)
{
    (void)arg;
    if (level == HJ_BENCH_WARNING)
        fprintf(stderr, "hashjoule bench: %s\n", message);
}

static void notice_interactive(hj_bench_notice_level level, const char *message, void *arg)
{
    if (level == HJ_BENCH_STATUS)
        fprintf(stderr, "%s\n", message);
    else
        notice_always(level, message, arg);
}

void hj_cli_bench_hooks(hj_bench_hooks *hooks, bool quiet)
{
    bool interactive = !quiet && isatty(STDERR_FILENO);
    memset(hooks, 0, sizeof *hooks);
    hooks->progress = interactive ? draw : NULL;
    hooks->notice = interactive ? notice_interactive : notice_always;
}
