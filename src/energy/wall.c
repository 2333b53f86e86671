/* A wall meter the user reads: a constant they measured (--power-watts) or a
 * command that prints the current power (--power-cmd), such as
 * `ipmitool dcmi power reading` or a PDU's CLI. Scope: the wall socket. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "energy_internal.h"
#include "energy_sources.h"
#include "hashjoule/clock.h"

/* A meter command that has not answered in this long is killed. */
#define COMMAND_TIMEOUT_S 10.0
#define OUTPUT_MAX 4096

typedef struct wall_priv {
    double watts; /* the constant */
    char *command;
} wall_priv;

/* Units after a number; the longest spellings first. */
static const struct {
    const char *unit;
    double factor;
    bool case_sensitive;
} units[] = {
    {"kilowatts", 1e3, false}, {"kilowatt", 1e3, false}, {"milliwatts", 1e-3, false}, {"milliwatt", 1e-3, false},
    {"megawatts", 1e6, false}, {"megawatt", 1e6, false}, {"watts", 1.0, false},       {"watt", 1.0, false},
    {"kW", 1e3, false},        {"mW", 1e-3, true},       {"MW", 1e6, true},           {"W", 1.0, false},
};

static double unit_factor(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].unit);
        bool match =
            units[i].case_sensitive ? strncmp(p, units[i].unit, n) == 0 : strncasecmp(p, units[i].unit, n) == 0;
        if (match && !isalpha((unsigned char)p[n]))
            return units[i].factor;
    }
    return 0;
}

/* Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
static bool utf8_valid(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        size_t n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 4;
        if (n == 4 || c == 0xc0 || c == 0xc1 || c > 0xf4)
            return false;
        unsigned cp = n == 0 ? c : c & (0x3f >> n);
        for (size_t i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        s += n + 1;
    }
    return true;
}

hj_status hj_energy_parse_watts(const char *text, double *watts, hj_error *err)
{
    if (!utf8_valid((const unsigned char *)text))
        return hj_fail(err, HJ_ERR_INPUT,
                       "the output is not text (not valid UTF-8); expected a power reading "
                       "such as 220 W");
    double lone = 0;
    int numbers = 0;
    const char *p = text;
    while (*p) {
        bool starts = isdigit((unsigned char)*p) &&
                      (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '_' || p[-1] == ':' ||
                                      (p[-1] == '-' && p - 1 > text && isalnum((unsigned char)p[-2]))));
        if (!starts) {
            /* inside a token such as "v2.0", "10:30:00" or "2024-06-20" */
            p++;
            continue;
        }
        bool negative = p > text && p[-1] == '-';
        char *end;
        double v = strtod(p, &end);
        if (end == p) {
            p++;
            continue;
        }
        numbers++;
        double f = unit_factor(end);
        if (f > 0) {
            if (!isfinite(v * f) || negative) {
                const char *from = negative ? p - 1 : p;
                return hj_fail(err, HJ_ERR_INPUT, "'%.*s' is not a usable power reading (%s)", (int)(end - from), from,
                               negative ? "negative" : "not a finite number");
            }
            *watts = v * f;
            return HJ_OK;
        }
        lone = negative ? -v : v;
        p = end;
        while (isalnum((unsigned char)*p) || *p == '.' || *p == ':')
            p++; /* the rest of a token such as 12abc or 10:30:00 */
    }
    if (numbers == 1 && isfinite(lone) && lone >= 0) {
        *watts = lone;
        return HJ_OK;
    }
    char shown[81];
    snprintf(shown, sizeof shown, "%s", text);
    for (char *c = shown; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    return hj_fail(err, HJ_ERR_INPUT,
                   "no power reading in '%s'%s (expected a number with a unit such as 220 W, 1.2 kW or 850 mW, "
                   "or a lone number of watts)",
                   shown, strlen(text) > 80 ? "..." : "");
}

/* Run `command` with /bin/sh, collect stdout, fail on a non-zero exit. */
static hj_status run_command(const char *command, char *out, size_t out_len, hj_error *err)
{
    out[0] = '\0'; /* a string on every return, the failures included */
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) != 0)
        return hj_fail(err, HJ_ERR_RUNTIME, "pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC) != 0) {
        close(po[0]);
        close(po[1]);
        return hj_fail(err, HJ_ERR_RUNTIME, "pipe: %s", strerror(errno));
    }
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        return hj_fail(err, HJ_ERR_RUNTIME, "fork: %s", strerror(e));
    }
    if (pid == 0) {
        /* Its own process group: Ctrl-C on the terminal stops the benchmark,
         * not the meter in the middle of a reading. */
        setpgid(0, 0);
        dup2(po[1], STDOUT_FILENO);
        dup2(pe[1], STDERR_FILENO);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    char errbuf[512] = "";
    size_t n_out = 0, n_err = 0;
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    double deadline = hj_monotonic_seconds() + COMMAND_TIMEOUT_S;
    bool timed_out = false, overflow = false, nul = false;
    int open_fds = 2;
    while (open_fds > 0) {
        int ms = (int)((deadline - hj_monotonic_seconds()) * 1000);
        if (ms <= 0) {
            timed_out = true;
            break;
        }
        if (poll(fds, 2, ms) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char tmp[512];
            ssize_t n = read(fds[i].fd, tmp, sizeof tmp);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
                continue;
            }
            char *dst = i == 0 ? out : errbuf;
            size_t *have = i == 0 ? &n_out : &n_err;
            size_t cap = (i == 0 ? out_len : sizeof errbuf) - 1;
            size_t room = cap - *have, take = (size_t)n < room ? (size_t)n : room;
            if (i == 0 && (size_t)n > room)
                overflow = true; /* drained, but refused below: a reading is never taken from cut text */
            memcpy(dst + *have, tmp, take);
            *have += take;
            if (i == 0 && memchr(tmp, '\0', (size_t)n))
                nul = true;
        }
    }
    out[n_out] = '\0';
    errbuf[n_err] = '\0';
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    if (timed_out)
        kill(-pid, SIGKILL), kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (timed_out)
        return hj_fail(err, HJ_ERR_RUNTIME, "'%s' gave no answer within %.0f s and was killed", command,
                       COMMAND_TIMEOUT_S);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *nl = strchr(errbuf, '\n');
        if (nl)
            *nl = '\0';
        if (WIFSIGNALED(status))
            return hj_fail(err, HJ_ERR_RUNTIME, "'%s' was killed by signal %d", command, WTERMSIG(status));
        return hj_fail(err, HJ_ERR_RUNTIME, "'%s' exited with status %d%s%s", command, WEXITSTATUS(status),
                       errbuf[0] ? ": " : "", errbuf);
    }
    if (overflow)
        return hj_fail(err, HJ_ERR_RUNTIME, "'%s' printed more than %zu bytes; expected a power reading", command,
                       out_len - 1);
    if (nul)
        return hj_fail(err, HJ_ERR_RUNTIME, "'%s' printed a NUL byte; expected a power reading as text", command);
    return HJ_OK;
}

static hj_status command_read(hj_energy_sensor *s, double *watts, hj_error *err)
{
    wall_priv *p = s->priv;
    char out[OUTPUT_MAX];
    hj_status st = run_command(p->command, out, sizeof out, err);
    if (st != HJ_OK)
        return st;
    hj_error perr;
    if (hj_energy_parse_watts(out, watts, &perr) != HJ_OK)
        return hj_fail(err, HJ_ERR_RUNTIME, "'%s': %s", p->command, perr.message);
    return HJ_OK;
}

static hj_status constant_read(hj_energy_sensor *s, double *watts, hj_error *err)
{
    (void)err;
    *watts = ((wall_priv *)s->priv)->watts;
    return HJ_OK;
}

static void wall_close(hj_energy_sensor *s)
{
    wall_priv *p = s->priv;
    if (p)
        free(p->command);
    free(p);
}

hj_status hj_energy_open_wall(const hj_energy_options *opt, hj_energy_set *set, hj_error *err)
{
    if (opt->wall_watts > 0 && opt->wall_command)
        return hj_fail(err, HJ_ERR_INPUT, "--power-watts and --power-cmd both given; use one wall reading");
    if (!(opt->wall_watts > 0) && !opt->wall_command) {
        hj_energy_add_note(set, "wall", "no wall meter given (--power-watts W or --power-cmd 'CMD')");
        return HJ_OK;
    }
    wall_priv *p = calloc(1, sizeof *p);
    if (!p)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    hj_energy_sensor probe = {.priv = p};
    double w;
    if (opt->wall_command) {
        p->command = strdup(opt->wall_command);
        hj_error e;
        if (!p->command)
            snprintf(e.message, sizeof e.message, "out of memory");
        if (!p->command || command_read(&probe, &w, &e) != HJ_OK) {
            wall_close(&probe);
            return hj_fail(err, HJ_ERR_INPUT, "--power-cmd: %s", e.message);
        }
    } else {
        p->watts = w = opt->wall_watts;
    }
    hj_energy_sensor *s = hj_energy_add_sensor(set);
    if (!s) {
        wall_close(&probe);
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    }
    bool cmd = opt->wall_command != NULL;
    snprintf(s->name, sizeof s->name, cmd ? "wall:command" : "wall:constant");
    snprintf(s->source, sizeof s->source, cmd ? "wall-command" : HJ_SOURCE_WALL_CONSTANT);
    snprintf(s->scope, sizeof s->scope, HJ_SCOPE_WALL);
    snprintf(s->device, sizeof s->device,
             cmd ? "the meter read by the command" : "the whole machine, as stated by the user");
    if (cmd)
        snprintf(s->origin, sizeof s->origin, "%s", opt->wall_command);
    else
        snprintf(s->origin, sizeof s->origin, "--power-watts %g", opt->wall_watts);
    s->cumulative = false;
    s->sample_period_s = cmd ? (opt->command_period_s > 0 ? opt->command_period_s : 1.0) : 1.0;
    s->sample_on_snapshot = !cmd; /* a command is too slow to run at every snapshot */
    s->read_watts = cmd ? command_read : constant_read;
    s->close = wall_close;
    s->priv = p;
    return HJ_OK;
}
