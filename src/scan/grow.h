/* Room for one more item in a growing array (private to src/scan): the
 * candidate lists and the hit list all double from a first capacity. */
#ifndef HJ_SCAN_GROW_H
#define HJ_SCAN_GROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

/* When count == *capacity, doubles *items (elements of `size` bytes; `first`
 * when empty). False when realloc fails, with the capacity tried in *tried
 * and the array unchanged. */
static inline bool hj_grow_for_one(void **items, size_t *capacity, size_t count, size_t size, size_t first,
                                   size_t *tried)
{
    if (count < *capacity)
        return true;
    size_t cap = *capacity ? *capacity * 2 : first;
    *tried = cap;
    void *grown = realloc(*items, cap * size);
    if (!grown)
        return false;
    *items = grown;
    *capacity = cap;
    return true;
}

#endif
