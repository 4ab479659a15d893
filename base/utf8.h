/*
 * utf8.h - strict UTF-8 validation and small text helpers.
 *
 * Strict means: no overlong forms, no surrogates, nothing above U+10FFFF,
 * no truncated sequences. NUL bytes are rejected too, since every stored
 * text field goes through C strings at some point.
 */
#ifndef NT_UTF8_H
#define NT_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when s[0..n) is valid UTF-8 without NUL bytes. On false, `*bad_at`
 * (if not NULL) receives the byte offset of the first invalid sequence.
 */
bool nt_utf8_valid(const char *s, size_t n, size_t *bad_at);

/* Number of code points in valid UTF-8 s[0..n) (a rough display width). */
size_t nt_utf8_width(const char *s, size_t n);

#endif
