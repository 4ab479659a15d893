/*
 * fuzz_feed.c - fuzz target for the feed parser (RSS 2.0, RDF, Atom, JSON
 * Feed): any bytes may come back from a followed blog. A feed that parses
 * must give every item an id, a text and its raw bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "fuzz.h"

void nt_fuzz_cleanup(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nt_feed *f = NULL;
    struct nt_diag d;
    if (nt_feed_parse((const char *)data, size, &f, &d) == NT_OK) {
        size_t total = 0;
        for (size_t i = 0; i < f->nitems; i++) {
            const struct nt_feed_item *it = &f->items[i];
            if (!it->id || !it->text || (it->raw_len && !it->raw))
                abort();
            total += strlen(it->id) + strlen(it->text) + it->raw_len;
        }
        (void)total;
    }
    nt_feed_free(f);
    return 0;
}
