/* libFuzzer target: the projection's CSV inputs, a --btc-price-path
 * (month,usd[,fees]) and --power-prices (hourly USD/MWh); the first byte
 * picks the parser and, for the path, the horizon. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "hashjoule/projection.h"

static void check_refusal(hj_status st, const hj_error *err)
{
    if (st != HJ_ERR_INPUT || !err->message[0])
        abort(); /* every refusal is an input error with a message */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    hj_error err = {{0}};
    if (data[0] & 1) {
        double *prices = NULL;
        size_t n = 0;
        hj_status st = hj_projection_parse_power_prices(text, len, "fuzz", &prices, &n, &err);
        if (st == HJ_OK) {
            if (n == 0)
                abort();
            for (size_t i = 0; i < n; i++)
                if (!isfinite(prices[i]) || prices[i] < -10000 || prices[i] > 100000)
                    abort();
            free(prices);
        } else {
            check_refusal(st, &err);
        }
        return 0;
    }
    int months = 1 + (data[0] >> 1) % HJ_PROJECTION_MAX_MONTHS;
    double price[HJ_PROJECTION_MAX_MONTHS + 1], fees[HJ_PROJECTION_MAX_MONTHS + 1];
    bool has_fees = false;
    hj_status st =
        hj_projection_parse_price_path(text, len, "fuzz", months, 91000, 0.046, price, fees, &has_fees, &err);
    if (st == HJ_OK) {
        for (int i = 0; i <= months; i++)
            if (!isfinite(price[i]) || price[i] <= 0 || (has_fees && (!isfinite(fees[i]) || fees[i] < 0)))
                abort(); /* interpolation between valid points stays valid */
    } else {
        check_refusal(st, &err);
    }
    return 0;
}
