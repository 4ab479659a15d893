/*
 * fuzz_json_span.c - fuzz target for the crawler's JSON span scanner
 * (json_span.c), which cuts each item's exact bytes out of a hostile
 * server's response: spans must lie inside the input, in order, and a
 * member found must be inside it too.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "internal.h"

void nt_fuzz_cleanup(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nt_span sp[64], m;
    const char *s = (const char *)data;
    long n = nt_json_array_spans(s, size, sp, 64);
    size_t last = 0;
    for (long i = 0; i < n && i < 64; i++) {
        if (sp[i].start < last || sp[i].start >= sp[i].end || sp[i].end > size)
            abort();
        last = sp[i].end;
    }
    static const char *const keys[] = { "id", "data", "feed", "cursor", "" };
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (nt_json_member(s, size, keys[k], &m) && (m.start > m.end || m.end > size))
            abort();
    return 0;
}
