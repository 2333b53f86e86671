/* Hash rates and CSV fields as text (include/hashjoule/format.h). */
#include <stdio.h>
#include <string.h>

#include "hashjoule/format.h"

void hj_format_rate(double hashes_per_second, hj_rate_digits digits, char *out, size_t len)
{
    static const char *prefix[] = {"", "k", "M", "G", "T", "P"};
    double v = hashes_per_second;
    int p = 0;
    while (v >= 1000 && p < 5) {
        v /= 1000;
        p++;
    }
    int extra = digits == HJ_RATE_LONG ? 1 : 0;
    snprintf(out, len, "%.*f %sH/s", (v < 10 ? 2 : v < 100 ? 1 : 0) + extra, v, prefix[p]);
}

void hj_csv_write_field(FILE *out, const char *text, bool always_quote)
{
    if (!always_quote && !strpbrk(text, ",\"\n\r")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *s = text; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}
