/*
 * hash.c - SHA-256 through libsodium's crypto_hash_sha256.
 */
#include "hash.h"

#include <sodium.h>

void nt_sha256_hex(const void *p, size_t n, char out[NT_SHA256_HEX_LEN + 1])
{
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, p, n);
    sodium_bin2hex(out, NT_SHA256_HEX_LEN + 1, md, sizeof(md));
}
