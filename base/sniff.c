/*
 * sniff.c - file types from magic numbers, a table per type.
 */
#include "sniff.h"

#include <string.h>

struct magic {
    size_t off;
    const char *bytes;
    size_t len;
    size_t off2; /* a second signature (RIFF's form type), len2 0: none */
    const char *bytes2;
    size_t len2;
    enum nt_sniff_kind kind;
    const char *mime;
};

#define M2(OFF, B, O2, B2) OFF, B, sizeof(B) - 1, O2, B2, sizeof(B2) - 1

static const struct magic magics[] = {
    { M2(0, "\x89PNG\r\n\x1a\n", 0, ""), NT_SNIFF_IMAGE, "image/png" },
    { M2(0, "\xff\xd8\xff", 0, ""), NT_SNIFF_IMAGE, "image/jpeg" },
    { M2(0, "GIF87a", 0, ""), NT_SNIFF_IMAGE, "image/gif" },
    { M2(0, "GIF89a", 0, ""), NT_SNIFF_IMAGE, "image/gif" },
    { M2(0, "RIFF", 8, "WEBP"), NT_SNIFF_IMAGE, "image/webp" },
    { M2(0, "BM", 0, ""), NT_SNIFF_IMAGE, "image/bmp" },
    { M2(0, "II*\0", 0, ""), NT_SNIFF_IMAGE, "image/tiff" },
    { M2(0, "MM\0*", 0, ""), NT_SNIFF_IMAGE, "image/tiff" },
    { M2(4, "ftypqt", 0, ""), NT_SNIFF_VIDEO, "video/quicktime" },
    { M2(4, "ftyp", 0, ""), NT_SNIFF_VIDEO, "video/mp4" },
    { M2(0, "\x1a\x45\xdf\xa3", 0, ""), NT_SNIFF_VIDEO, "video/webm" },
    { M2(0, "OggS", 0, ""), NT_SNIFF_AUDIO, "audio/ogg" },
    { M2(0, "ID3", 0, ""), NT_SNIFF_AUDIO, "audio/mpeg" },
    { M2(0, "RIFF", 8, "WAVE"), NT_SNIFF_AUDIO, "audio/wav" },
    { M2(0, "%PDF-", 0, ""), NT_SNIFF_DOCUMENT, "application/pdf" },
};

static bool at(const unsigned char *p, size_t len, size_t off, const char *b, size_t n)
{
    return n == 0 || (off + n <= len && memcmp(p + off, b, n) == 0);
}

struct nt_sniff nt_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; p && i < sizeof(magics) / sizeof(magics[0]); i++) {
        const struct magic *m = &magics[i];
        if (at(p, len, m->off, m->bytes, m->len) && at(p, len, m->off2, m->bytes2, m->len2))
            return (struct nt_sniff){ m->kind, m->mime };
    }
    return (struct nt_sniff){ NT_SNIFF_UNKNOWN, "application/octet-stream" };
}
