/*
 * sniff.h - what a file is, from its first bytes: a server's Content-Type
 * is not trusted (an HTML page served as image/png is HTML). Shared by the
 * crawler, which refuses what is not an image or a video before keeping
 * it, and the case file, which takes PDF, PNG and JPEG documents.
 */
#ifndef NT_SNIFF_H
#define NT_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

enum nt_sniff_kind {
    NT_SNIFF_UNKNOWN,
    NT_SNIFF_IMAGE,
    NT_SNIFF_VIDEO,
    NT_SNIFF_AUDIO,
    NT_SNIFF_DOCUMENT
};

struct nt_sniff {
    enum nt_sniff_kind kind;
    const char *mime; /* "image/png", ...; "application/octet-stream" when unknown (static) */
};

/* The type of `data` from its magic numbers (PNG, JPEG, GIF, WebP, BMP,
 * TIFF; MP4/MOV, WebM/Matroska, Ogg; MP3, WAV; PDF). */
struct nt_sniff nt_sniff(const void *data, size_t len);

#endif
