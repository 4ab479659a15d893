/*
 * vcr.c - test helper: print the response body of the first interaction of
 * a VCR cassette (YAML, as recorded by Mastodon.py) whose request URI
 * contains a substring. Understands what those cassettes use: single-quoted
 * scalars over several lines ('' for a quote, line breaks folded).
 *
 *   nt_test_vcr CASSETTE.yaml URI-SUBSTRING > body.json
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: nt_test_vcr CASSETTE.yaml URI-SUBSTRING\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n)
        return 1;
    s[n] = '\0';
    fclose(f);
    for (char *p = s; (p = strstr(p, "    uri: ")); p++) {
        char *eol = strchr(p, '\n');
        if (!eol)
            break;
        *eol = '\0';
        int hit = strstr(p, argv[2]) != NULL;
        *eol = '\n';
        if (!hit)
            continue;
        char *b = strstr(eol, "      string: '");
        if (!b)
            break;
        b += strlen("      string: '");
        for (char *q = b; *q; q++) {
            if (*q == '\'') {
                if (q[1] == '\'') {
                    putchar('\'');
                    q++;
                    continue;
                }
                return 0;
            }
            if (*q == '\n') {
                /* Folding: a line break is a space, an empty line a newline. */
                char *r = q + 1;
                while (*r == ' ')
                    r++;
                if (*r == '\n') {
                    putchar('\n');
                    q = r;
                } else {
                    putchar(' ');
                    q = r - 1;
                }
                continue;
            }
            putchar(*q);
        }
        return 1;
    }
    return 1;
}
