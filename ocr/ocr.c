/*
 * ocr.c - text in images with Leptonica and Tesseract (ocr.h).
 *
 * The order matters for hostile files: the type is sniffed from the first
 * bytes and the dimensions read from the header before anything is
 * decoded, so a decompression bomb (a small PNG declaring 100,000 x
 * 100,000 pixels) is refused without allocating its pixels.
 */
#include "ocr.h"

#include <leptonica/allheaders.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

#include "utf8.h"

#define DEFAULT_MAX_BYTES  ((size_t)20 << 20)
#define DEFAULT_MAX_PIXELS 40000000ull
#define DEFAULT_DEADLINE   10000u
/* Tesseract reads best with capital letters about 20-30 pixels high: an
 * image narrower than this is scaled up (screenshots of small captions). */
#define MIN_WIDTH 1000

struct nt_ocr {
    TessBaseAPI *api;
};

/* Leptonica reports to stderr; a hostile file is our error, said once. */
static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
static void quiet(void)
{
    setMsgSeverity(L_SEVERITY_NONE);
}

enum nt_err nt_ocr_new(const char *datadir, const char *langs, struct nt_ocr **out,
                       struct nt_diag *d)
{
    pthread_once(&quiet_once, quiet);
    struct nt_ocr *o = calloc(1, sizeof(*o));
    if (!o || !(o->api = TessBaseAPICreate())) {
        free(o);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    if (TessBaseAPIInit3(o->api, datadir, langs) != 0) {
        const char *where = datadir                     ? datadir
                            : getenv("TESSDATA_PREFIX") ? getenv("TESSDATA_PREFIX")
                                                        : "lokasi bawaan Tesseract";
        nt_ocr_free(o);
        return nt_diag_set(d, NT_ENOTFOUND,
                           "data bahasa Tesseract \"%s\" tidak ditemukan di %s (paket Debian "
                           "tesseract-ocr-ind dan tesseract-ocr-eng)",
                           langs, where);
    }
    /* Blocks of text anywhere on the picture: flyers, banners, screenshots;
     * nothing on stderr (a resolution guess per image otherwise). */
    TessBaseAPISetPageSegMode(o->api, PSM_AUTO);
    TessBaseAPISetVariable(o->api, "debug_file", "/dev/null");
    TessBaseAPISetVariable(o->api, "user_defined_dpi", "300");
    *out = o;
    return NT_OK;
}

void nt_ocr_free(struct nt_ocr *o)
{
    if (!o)
        return;
    if (o->api) {
        TessBaseAPIEnd(o->api);
        TessBaseAPIDelete(o->api);
    }
    free(o);
}

static const char *format_name(l_int32 f)
{
    switch (f) {
    case IFF_PNG:
        return "png";
    case IFF_JFIF_JPEG:
        return "jpeg";
    case IFF_GIF:
        return "gif";
    case IFF_WEBP:
        return "webp";
    case IFF_BMP:
        return "bmp";
    case IFF_TIFF:
    case IFF_TIFF_PACKBITS:
    case IFF_TIFF_RLE:
    case IFF_TIFF_G3:
    case IFF_TIFF_G4:
    case IFF_TIFF_LZW:
    case IFF_TIFF_ZIP:
    case IFF_TIFF_JPEG:
        return "tiff";
    default:
        return NULL;
    }
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether a PNG's chunks fit the file up to IEND, a JPEG ends with its
 * end marker: a file cut short is refused here with a reason, before the
 * decoder (whose library would print its own complaint on stderr). */
static bool whole(l_int32 format, const unsigned char *p, size_t len)
{
    if (format == IFF_PNG) {
        size_t off = 8;
        while (off + 12 <= len) {
            uint32_t n = be32(p + off);
            if (n > len - off - 12)
                return false;
            if (memcmp(p + off + 4, "IEND", 4) == 0)
                return true;
            off += 12 + (size_t)n;
        }
        return false;
    }
    if (format == IFF_JFIF_JPEG) {
        /* The end marker, allowing a little padding after it. */
        for (size_t i = len, k = 0; i >= 2 && k < 64; i--, k++)
            if (p[i - 2] == 0xFF && p[i - 1] == 0xD9)
                return true;
        return false;
    }
    return true;
}

/* Grey, scaled up when small: what Tesseract reads best. */
static PIX *prepare(PIX *pix)
{
    PIX *grey = pixConvertTo8(pix, 0);
    if (!grey)
        return NULL;
    l_int32 w = pixGetWidth(grey);
    if (w > 0 && w < MIN_WIDTH) {
        l_float32 f = (l_float32)MIN_WIDTH / (l_float32)w;
        if (f > 4.0f)
            f = 4.0f;
        PIX *big = pixScaleGrayLI(grey, f, f);
        if (big) {
            pixDestroy(&grey);
            grey = big;
        }
    }
    return grey;
}

static enum nt_err add_line(struct nt_ocr_result *res, const char *text, int l, int t, int r, int b,
                            float conf)
{
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
        n--;
    if (n == 0)
        return NT_OK;
    struct nt_ocr_line *p = realloc(res->lines, (res->nlines + 1) * sizeof(*p));
    if (!p)
        return NT_ENOMEM;
    res->lines = p;
    char *copy = malloc(n + 1);
    char *joined = realloc(res->text, res->len + n + 2);
    if (!copy || !joined) {
        free(copy);
        if (joined)
            res->text = joined;
        return NT_ENOMEM;
    }
    memcpy(copy, text, n);
    copy[n] = '\0';
    /* Tesseract writes UTF-8; a broken sequence is not passed on. */
    if (!nt_utf8_valid(copy, n, NULL))
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)copy[i] >= 0x80)
                copy[i] = '?';
    res->text = joined;
    if (res->len)
        res->text[res->len++] = '\n';
    memcpy(res->text + res->len, copy, n);
    res->len += n;
    res->text[res->len] = '\0';
    p[res->nlines++] = (struct nt_ocr_line){ copy, l, t, r, b, conf };
    return NT_OK;
}

/* The checks, then the pixels as they are (*out, to pixDestroy). */
static enum nt_err load(const void *data, size_t len, const struct nt_ocr_limits *lim,
                        struct nt_ocr_image_info *info, PIX **out, struct nt_diag *d)
{
    pthread_once(&quiet_once, quiet);
    memset(info, 0, sizeof(*info));
    *out = NULL;
    size_t max_bytes = lim && lim->max_bytes ? lim->max_bytes : DEFAULT_MAX_BYTES;
    uint64_t max_pixels = lim && lim->max_pixels ? lim->max_pixels : DEFAULT_MAX_PIXELS;
    if (len > max_bytes)
        return nt_diag_set(d, NT_ETOOBIG, "gambar %zu byte, melebihi batas %zu byte", len,
                           max_bytes);
    l_int32 format = IFF_UNKNOWN;
    if (len < 12 || findFileFormatBuffer(data, &format) != 0 || !format_name(format))
        return nt_diag_set(d, NT_EINPUT,
                           "bukan gambar yang dikenal (PNG, JPEG, GIF, WebP, "
                           "BMP, TIFF) menurut isinya");
    if (!whole(format, data, len))
        return nt_diag_set(d, NT_EINPUT,
                           "gambar %s terpotong: berkasnya berakhir sebelum gambarnya",
                           format_name(format));
    l_int32 w = 0, h = 0, bps = 0, spp = 0, cmap = 0, f2 = 0;
    if (pixReadHeaderMem(data, len, &f2, &w, &h, &bps, &spp, &cmap) != 0 || w <= 0 || h <= 0)
        return nt_diag_set(d, NT_EINPUT, "kepala berkas %s rusak", format_name(format));
    if ((uint64_t)w * (uint64_t)h > max_pixels)
        return nt_diag_set(d, NT_ETOOBIG,
                           "gambar %dx%d piksel, melebihi batas %llu piksel (tidak dibuka)", w, h,
                           (unsigned long long)max_pixels);
    PIX *pix = pixReadMem(data, len);
    if (!pix)
        return nt_diag_set(d, NT_EINPUT, "gambar %s rusak: tidak dapat dibaca",
                           format_name(format));
    /* The header said one size, the pixels are another: not this file. */
    if ((uint64_t)pixGetWidth(pix) * (uint64_t)pixGetHeight(pix) > max_pixels) {
        pixDestroy(&pix);
        return nt_diag_set(d, NT_ETOOBIG, "gambar melebihi batas %llu piksel",
                           (unsigned long long)max_pixels);
    }
    info->format = format_name(format);
    info->width = pixGetWidth(pix);
    info->height = pixGetHeight(pix);
    *out = pix;
    return NT_OK;
}

enum nt_err nt_ocr_decode(const void *data, size_t len, const struct nt_ocr_limits *lim,
                          struct nt_ocr_image_info *info, struct Pix **out, struct nt_diag *d)
{
    PIX *pix = NULL;
    enum nt_err err = load(data, len, lim, info, &pix, d);
    if (err)
        return err;
    PIX *grey = prepare(pix);
    pixDestroy(&pix);
    if (!grey)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    *out = grey;
    return NT_OK;
}

/* A JPEG of `pix` at most `side` pixels on its longer side (never scaled
 * up), in res->thumb; false when Leptonica cannot make one. */
static bool thumbnail(PIX *pix, int side, struct nt_ocr_result *res)
{
    l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);
    l_float32 f = (l_float32)side / (l_float32)(w > h ? w : h);
    PIX *rgb = pixConvertTo32(pix);
    PIX *small = rgb && f < 1.0f ? pixScale(rgb, f, f) : rgb ? pixClone(rgb) : NULL;
    l_uint8 *bytes = NULL;
    size_t n = 0;
    bool ok = small && pixWriteMemJpeg(&bytes, &n, small, 80, 0) == 0 && bytes && n;
    pixDestroy(&small);
    pixDestroy(&rgb);
    if (!ok) {
        lept_free(bytes);
        return false;
    }
    res->thumb = bytes;
    res->thumb_len = n;
    return true;
}

enum nt_err nt_ocr_image(struct nt_ocr *o, const void *data, size_t len,
                         const struct nt_ocr_limits *lim, struct nt_ocr_result *res,
                         struct nt_diag *d)
{
    memset(res, 0, sizeof(*res));
    unsigned deadline = lim && lim->deadline_ms ? lim->deadline_ms : DEFAULT_DEADLINE;
    struct nt_ocr_image_info info;
    PIX *pix = NULL;
    enum nt_err e = load(data, len, lim, &info, &pix, d);
    if (e)
        return e;
    if (lim && lim->thumb_side > 0 && !thumbnail(pix, lim->thumb_side, res)) {
        pixDestroy(&pix);
        return nt_diag_set(d, NT_ENOMEM, "gambar kecil (thumbnail) tidak dapat dibuat");
    }
    PIX *grey = prepare(pix);
    pixDestroy(&pix);
    if (!grey) {
        nt_ocr_result_release(res);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    res->format = info.format;
    res->width = info.width;
    res->height = info.height;
    TessBaseAPISetImage2(o->api, grey);
    ETEXT_DESC *mon = TessMonitorCreate();
    if (mon)
        TessMonitorSetDeadlineMSecs(mon, (int)deadline);
    int rc = TessBaseAPIRecognize(o->api, mon);
    res->timed_out = rc != 0;
    enum nt_err err = NT_OK;
    TessResultIterator *it = TessBaseAPIGetIterator(o->api);
    if (it) {
        const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(it);
        do {
            char *t = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE);
            int l = 0, top = 0, r = 0, b = 0;
            TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &l, &top, &r, &b);
            if (t && !err)
                err =
                    add_line(res, t, l, top, r, b, TessResultIteratorConfidence(it, RIL_TEXTLINE));
            TessDeleteText(t);
        } while (!err && TessResultIteratorNext(it, RIL_TEXTLINE));
        TessResultIteratorDelete(it);
    }
    TessMonitorDelete(mon);
    TessBaseAPIClear(o->api);
    pixDestroy(&grey);
    if (!err && !res->text && !(res->text = calloc(1, 1)))
        err = NT_ENOMEM;
    if (err) {
        nt_ocr_result_release(res);
        return nt_diag_set(d, err, "memori tidak cukup");
    }
    return NT_OK;
}

void nt_ocr_result_release(struct nt_ocr_result *res)
{
    for (size_t i = 0; i < res->nlines; i++)
        free(res->lines[i].text);
    free(res->lines);
    free(res->text);
    lept_free(res->thumb);
    memset(res, 0, sizeof(*res));
}

size_t nt_ocr_line_of(const struct nt_ocr_result *res, size_t off)
{
    size_t line = 0;
    for (size_t i = 0; i < off && i < res->len; i++)
        line += res->text[i] == '\n';
    return line;
}
