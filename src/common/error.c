/* hj_fail: the one place error messages are formatted. */
#include <stdarg.h>
#include <stdio.h>

#include "hashjoule/error.h"

hj_status hj_fail(hj_error *err, hj_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}
