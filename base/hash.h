/*
 * hash.h - SHA-256 digests (libsodium) as lowercase hex, the form stored
 * next to every piece of evidence and every imported file.
 */
#ifndef NT_HASH_H
#define NT_HASH_H

#include <stddef.h>

#define NT_SHA256_HEX_LEN 64

/* Write the hex SHA-256 of p[0..n) and a NUL into out (65 bytes). */
void nt_sha256_hex(const void *p, size_t n, char out[NT_SHA256_HEX_LEN + 1]);

#endif
