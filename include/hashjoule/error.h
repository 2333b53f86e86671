/* hashjoule — error reporting shared by the whole library.
 *
 * Every fallible library call takes an hj_error* (may be NULL) and returns an
 * hj_status. The numeric values are the CLI's exit codes, so a command can
 * `return status;` without a translation table. */
#ifndef HASHJOULE_ERROR_H
#define HASHJOULE_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hj_status {
    HJ_OK = 0,
    HJ_ERR_INPUT = 2,   /* bad usage or bad input: the caller can fix it */
    HJ_ERR_RUNTIME = 3, /* device, system or kernel failure */
} hj_status;

/* The exit status of the hashjoule program, for scripts (a contract: these
 * numbers do not change). Library calls return hj_status; only the program
 * turns a status into an exit code, and the codes of hj_status are the same
 * numbers. */
enum {
    HJ_EXIT_OK = 0,
    HJ_EXIT_REGRESSION = 1,    /* compare found a regression (or a failed kernel in NEW) */
    HJ_EXIT_INPUT = 2,         /* bad usage or bad input */
    HJ_EXIT_RUNTIME = 3,       /* device, system or kernel failure; results not written */
    HJ_EXIT_INTERRUPTED = 130, /* Ctrl-C or SIGTERM: 128 + SIGINT, the shell convention */
};

typedef struct hj_error {
    char message[1024];
} hj_error;

/* printf-style; safe with err == NULL. Returns `status` for `return hj_fail(...)`. */
hj_status hj_fail(hj_error *err, hj_status status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
