/*
 * mkimage.c - test images made by the project, not shipped: text drawn
 * with Leptonica's built-in bitmap font (part of Debian's liblept), and the
 * hostile files an image reader must refuse.
 *
 *   nt_test_mkimage text OUT.png|OUT.jpg "LINE|LINE|..."   black on white
 *   nt_test_mkimage bomb OUT.png    a valid PNG header declaring 100,000 x
 *                                   100,000 pixels (a decompression bomb)
 *   nt_test_mkimage truncated OUT.png "LINE"   a PNG cut in half
 */
#include <leptonica/allheaders.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int die(const char *what)
{
    fprintf(stderr, "nt_test_mkimage: %s\n", what);
    return 1;
}

static PIX *draw(const char *text)
{
    L_BMF *bmf = bmfCreate(NULL, 10);
    if (!bmf)
        return NULL;
    char *copy = strdup(text);
    size_t nlines = 1;
    l_int32 width = 0, w = 0;
    for (const char *p = text; *p; p++)
        nlines += *p == '|';
    /* As wide as the longest line, plus margins. */
    for (char *save = NULL, *line = copy ? strtok_r(copy, "|", &save) : NULL; line;
         line = strtok_r(NULL, "|", &save))
        if (bmfGetStringWidth(bmf, line, &w) == 0 && w > width)
            width = w;
    free(copy);
    copy = strdup(text);
    l_int32 step = bmf->lineheight + bmf->lineheight / 2;
    PIX *pix = pixCreate(width + 80, (l_int32)(step * (l_int32)nlines + 2 * step), 8);
    if (!pix || !copy) {
        bmfDestroy(&bmf);
        free(copy);
        return NULL;
    }
    pixSetAll(pix); /* white */
    int i = 0;
    for (char *save = NULL, *line = strtok_r(copy, "|", &save); line;
         line = strtok_r(NULL, "|", &save), i++) {
        l_int32 overflow = 0;
        pixSetTextline(pix, bmf, line, 0 /* black */, 40, step * (i + 1) + step / 2, &w, &overflow);
    }
    free(copy);
    bmfDestroy(&bmf);
    return pix;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int main(int argc, char **argv)
{
    setMsgSeverity(L_SEVERITY_NONE);
    if (argc >= 3 && strcmp(argv[1], "bomb") == 0) {
        /* Signature, IHDR (100000 x 100000, 8-bit grey), a tiny IDAT, IEND. */
        uint8_t png[128];
        size_t n = 0;
        static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
        memcpy(png, sig, 8);
        n = 8;
        put32(png + n, 13);
        memcpy(png + n + 4, "IHDR", 4);
        put32(png + n + 8, 100000);
        put32(png + n + 12, 100000);
        png[n + 16] = 8; /* bit depth */
        png[n + 17] = 0; /* grey */
        png[n + 18] = png[n + 19] = png[n + 20] = 0;
        put32(png + n + 21, (uint32_t)crc32(0, png + n + 4, 17));
        n += 25;
        uint8_t idat[16];
        uLongf ilen = sizeof(idat);
        uint8_t zero[2] = { 0, 0 };
        if (compress(idat, &ilen, zero, 2) != Z_OK)
            return die("compress");
        put32(png + n, (uint32_t)ilen);
        memcpy(png + n + 4, "IDAT", 4);
        memcpy(png + n + 8, idat, ilen);
        put32(png + n + 8 + ilen, (uint32_t)crc32(0, png + n + 4, (uInt)(ilen + 4)));
        n += 12 + ilen;
        put32(png + n, 0);
        memcpy(png + n + 4, "IEND", 4);
        put32(png + n + 8, (uint32_t)crc32(0, png + n + 4, 4));
        n += 12;
        FILE *f = fopen(argv[2], "wb");
        if (!f || fwrite(png, 1, n, f) != n || fclose(f) != 0)
            return die(argv[2]);
        return 0;
    }
    if (argc < 4 || (strcmp(argv[1], "text") != 0 && strcmp(argv[1], "truncated") != 0))
        return die("usage: text|truncated OUT TEXT, or bomb OUT");
    PIX *pix = draw(argv[3]);
    if (!pix)
        return die("cannot draw");
    size_t len = strlen(argv[2]);
    int jpeg = len > 4 && strcmp(argv[2] + len - 4, ".jpg") == 0;
    l_uint8 *data = NULL;
    size_t size = 0;
    if (pixWriteMem(&data, &size, pix, jpeg ? IFF_JFIF_JPEG : IFF_PNG) != 0)
        return die("cannot encode");
    pixDestroy(&pix);
    if (strcmp(argv[1], "truncated") == 0)
        size /= 2;
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        return die(argv[2]);
    lept_free(data);
    return 0;
}
