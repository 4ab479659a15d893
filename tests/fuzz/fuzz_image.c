/*
 * fuzz_image.c - fuzz target for the image checks and decoders an image
 * from a post goes through before it is read (ocr.h, nt_ocr_decode): any
 * bytes may be served as image/png. An image that decodes must have a
 * known type and a size within the limits; nothing may be read out of
 * bounds or leak.
 */
#include <leptonica/allheaders.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "ocr.h"

void nt_fuzz_cleanup(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Small limits: the fuzzer looks for bugs, not for big pictures. */
    struct nt_ocr_limits lim = { 1u << 20, 4000000, 1000, 0 };
    struct nt_ocr_image_info info;
    struct Pix *pix = NULL;
    struct nt_diag d;
    if (nt_ocr_decode(data, size, &lim, &info, &pix, &d) == NT_OK) {
        if (!info.format || info.width <= 0 || info.height <= 0 ||
            (uint64_t)info.width * (uint64_t)info.height > lim.max_pixels || !pix)
            abort();
        pixDestroy(&pix);
    } else if (pix) {
        abort();
    }
    return 0;
}
