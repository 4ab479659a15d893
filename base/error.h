/*
 * error.h - the one error enum of Netra.
 *
 * Every fallible function in every module returns an `enum nt_err`. Foreign
 * error codes (SQLite, libcurl, PCRE2, ICU, Jansson) are translated at the
 * module edge; their text goes into a `struct nt_diag` (see diag.h).
 * The numbers are part of the interface: never renumber, only append.
 */
#ifndef NT_ERROR_H
#define NT_ERROR_H

/* X(name, number, Indonesian message for people) */
#define NT_ERR_MAP(X)                                                                              \
    X(OK, 0, "berhasil")                                                                           \
    X(NOMEM, 1, "memori tidak cukup")                                                              \
    X(IO, 2, "kesalahan baca/tulis berkas")                                                        \
    X(USAGE, 3, "penggunaan perintah tidak benar")                                                 \
    X(INPUT, 4, "masukan tidak valid")                                                             \
    X(UTF8, 5, "teks bukan UTF-8 yang sah")                                                        \
    X(TOOBIG, 6, "data melebihi batas ukuran")                                                     \
    X(DB, 7, "kesalahan basis data")                                                               \
    X(SCHEMA, 8, "versi skema basis data tidak cocok")                                             \
    X(NOTFOUND, 9, "tidak ditemukan")                                                              \
    X(EXISTS, 10, "sudah ada")                                                                     \
    X(BUSY, 11, "basis data sedang dikunci proses lain")                                           \
    X(CONFLICT, 12, "bertentangan dengan data yang tersimpan")                                     \
    X(PERM, 13, "tidak berwenang")                                                                 \
    X(INTERNAL, 14, "kesalahan internal")                                                          \
    X(NET, 15, "sambungan jaringan gagal")                                                         \
    X(BLOCKED, 16, "alamat tujuan diblokir (jaringan privat)")                                     \
    X(TIMEOUT, 17, "waktu habis")                                                                  \
    X(HTTP, 18, "server menjawab dengan galat")                                                    \
    X(RATELIMIT, 19, "dibatasi server (rate limit)")                                               \
    X(CANCELLED, 20, "dibatalkan")

enum nt_err {
#define NT_ERR_ENUM(name, num, msg) NT_E##name = num,
    NT_ERR_MAP(NT_ERR_ENUM)
#undef NT_ERR_ENUM
};

/* NT_OK reads better than NT_EOK at call sites. */
#define NT_OK NT_EOK

/* Static Indonesian message for `err`; never NULL (unknown codes included). */
const char *nt_err_str(enum nt_err err);

/* Symbolic name such as "NT_EINPUT"; never NULL. For logs and tests. */
const char *nt_err_name(enum nt_err err);

#endif
