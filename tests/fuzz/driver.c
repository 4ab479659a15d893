/*
 * driver.c - runs a fuzz target without libFuzzer: for each seed file, a
 * fixed number of deterministic random mutations (byte flips, inserted
 * separators, quotes, line breaks, JSON punctuation and invalid UTF-8,
 * deletions, truncations). CTest runs every target this way under
 * ASan+UBSan, so each `make test` exercises hostile input briefly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
    static const char *const tokens[] = { "\"",           ",",        ";",    "\n",
                                          "\r\n",         "\"\"",     "\xFF", "\xC3",
                                          "\xE2\x80\x8B", "\0",       " ",    "76.04",
                                          "19850230",     "mastodon", "@",    "https://" };
    int edits = 1 + (int)(rnd() % 8);
    for (int e = 0; e < edits; e++) {
        size_t at = len ? (size_t)(rnd() % len) : 0;
        switch (rnd() % 4) {
        case 0: /* flip a byte */
            if (len)
                buf[at] ^= (uint8_t)(1u << (rnd() % 8));
            break;
        case 1: { /* insert a token */
            const char *t = tokens[rnd() % (sizeof(tokens) / sizeof(tokens[0]))];
            size_t tl = t[0] ? strlen(t) : 1;
            if (len + tl > cap)
                break;
            memmove(buf + at + tl, buf + at, len - at);
            memcpy(buf + at, t, tl);
            len += tl;
            break;
        }
        case 2: /* delete a run */
            if (len) {
                size_t n = (size_t)(rnd() % 16);
                if (n > len - at)
                    n = len - at;
                memmove(buf + at, buf + at + n, len - at - n);
                len -= n;
            }
            break;
        default: /* truncate */
            len = at;
            break;
        }
    }
    return len;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
    if (argc < 3 || iterations <= 0) {
        fputs("usage: FUZZER ITERATIONS SEED-FILE...\n", stderr);
        return 2;
    }
    size_t runs = 0;
    for (int i = 2; i < argc; i++) {
        struct nt_buf seed;
        struct nt_diag d;
        nt_buf_init(&seed, 1 << 20);
        if (nt_file_read(argv[i], &seed, &d) != NT_OK) {
            fprintf(stderr, "fuzz_import: %s: %s\n", argv[i], d.msg);
            return 1;
        }
        size_t cap = seed.len * 2 + 64;
        uint8_t *buf = malloc(cap);
        if (!buf)
            return 1;
        LLVMFuzzerTestOneInput((const uint8_t *)seed.data, seed.len);
        for (long k = 0; k < iterations; k++) {
            memcpy(buf, seed.data, seed.len);
            size_t len = mutate(buf, seed.len, cap);
            LLVMFuzzerTestOneInput(buf, len);
            runs++;
        }
        free(buf);
        nt_buf_release(&seed);
    }
    nt_fuzz_cleanup();
    printf("%s: %zu mutated inputs, no crash\n", argv[0], runs);
    return 0;
}
