/*
 * fuzz_pages.c - fuzz target for the platform page parsers a hostile server
 * feeds (crawler/mastodon.c, bluesky.c, x.c): one response body is split
 * into items the way each source splits it, and every item is parsed the
 * way each source parses it, without the store or the network. What a
 * parser hands to the evidence store must hold: the raw bytes are the
 * item's own span, the text and every string are NUL-terminated within
 * their length, dates are ISO UTC, entities are JSON, Bluesky's entity
 * offsets lie inside the text on character boundaries; attachments (the
 * image-metadata parsers: Mastodon media_attachments and cards, Bluesky
 * embeds) are at most NT_EVIDENCE_MAX_MEDIA, each with a known kind, a
 * non-empty URL, distinct, and metadata that is a JSON object. The
 * follow-list parsers (crawler/follows.c) read the same bytes as Mastodon
 * `following` arrays and Bluesky `getFollows` pages: a parsed follow has a
 * lower-case key without blanks (a DID on Bluesky), or the input is a
 * clear input error.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

void nt_fuzz_cleanup(void)
{
}

static void check_date(const char *s)
{
    /* nt_feed_date writes YYYY-MM-DDTHH:MM:SSZ */
    if (s && (strlen(s) != 20 || s[4] != '-' || s[10] != 'T' || s[19] != 'Z'))
        abort();
}

static void check_entities(const struct nt_item *it, bool offsets)
{
    if (!it->p.entities)
        return;
    json_t *a = json_loads(it->p.entities, 0, NULL);
    if (!json_is_array(a))
        abort();
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        if (!json_is_string(json_object_get(e, "type")) ||
            !json_is_string(json_object_get(e, "value")))
            abort();
        json_t *s = json_object_get(e, "start"), *en = json_object_get(e, "end");
        if (!offsets && (s || en))
            abort();
        if (s) {
            json_int_t a0 = json_integer_value(s), b0 = json_integer_value(en);
            if (a0 < 0 || b0 <= a0 || (size_t)b0 > it->p.text_len ||
                ((unsigned char)it->p.text[a0] & 0xC0) == 0x80 ||
                ((size_t)b0 < it->p.text_len && ((unsigned char)it->p.text[b0] & 0xC0) == 0x80))
                abort();
        }
    }
    json_decref(a);
}

static void check_media(const struct nt_item *it)
{
    static const char *const kinds[] = { "image", "video", "audio", "link", "other" };
    if (it->p.nmedia > NT_EVIDENCE_MAX_MEDIA || (it->p.nmedia && it->p.media != it->media))
        abort();
    for (size_t i = 0; i < it->p.nmedia; i++) {
        const struct nt_evidence_media *m = &it->p.media[i];
        bool known = false;
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
            known |= m->kind && strcmp(m->kind, kinds[k]) == 0;
        if (!known || !m->url || !*m->url || strlen(m->url) > 2000)
            abort();
        for (size_t j = 0; j < i; j++)
            if (strcmp(it->p.media[j].url, m->url) == 0)
                abort();
        if (m->meta) {
            json_t *o = json_loads(m->meta, 0, NULL);
            if (!json_is_object(o))
                abort();
            json_decref(o);
        }
    }
}

static void check(const struct nt_item *it, const char *raw, size_t len, bool offsets)
{
    if (!it->id)
        abort();
    if (it->hidden) /* listed by its id only */
        return;
    if (it->p.raw != raw || it->p.raw_len != len)
        abort();
    if (!it->p.text || strlen(it->p.text) != it->p.text_len || !it->p.interaction ||
        strcmp(it->p.remote_id, it->id) != 0)
        abort();
    check_date(it->p.posted_at);
    check_date(it->p.edited_at);
    check_entities(it, offsets);
    check_media(it);
}

static void check_follow(const struct nt_follow *f, bool bluesky)
{
    size_t n = strlen(f->target);
    if (n == 0 || n > 300 || strlen(f->handle) == 0 || (bluesky && strncmp(f->target, "did:", 4)))
        abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)f->target[i] <= 0x20 || (f->target[i] >= 'A' && f->target[i] <= 'Z'))
            abort();
}

/* The page as follow lists: Mastodon's array, Bluesky's "follows". */
static void follows(const char *body, size_t size, struct nt_span *sp)
{
    for (int bluesky = 0; bluesky < 2; bluesky++) {
        long n = bluesky ? nt_json_member_spans(body, size, "follows", -1, sp, 160)
                         : nt_json_array_spans(body, size, sp, 160);
        for (long i = 0; i < n && i < 160; i++) {
            struct nt_follow f;
            struct nt_diag d;
            nt_diag_clear(&d);
            const char *raw = body + sp[i].start;
            size_t len = sp[i].end - sp[i].start;
            enum nt_err err = bluesky ? nt_bluesky_follow(raw, len, &f, &d)
                                      : nt_mastodon_follow(raw, len, "sosial.example", &f, &d);
            if (err == NT_OK)
                check_follow(&f, bluesky);
            else if (err != NT_EINPUT || !d.msg[0])
                abort();
            nt_follow_release(&f);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct nt_span sp[160];
    const char *body = (const char *)data;
    struct nt_diag d;
    struct nt_item it;
    json_t *x_media = nt_x_page_media(body, size);
    for (int platform = 0; platform < 3; platform++) {
        long n = platform == 0   ? nt_mastodon_page(body, size, sp, 160)
                 : platform == 1 ? nt_bluesky_page(body, size, sp, 160)
                                 : nt_x_page(body, size, sp, 160);
        for (long i = 0; i < n && i < 160; i++) {
            if (sp[i].start >= sp[i].end || sp[i].end > size)
                abort();
            const char *raw = body + sp[i].start;
            size_t len = sp[i].end - sp[i].start;
            nt_diag_clear(&d);
            enum nt_err err = platform == 0   ? nt_mastodon_item(raw, len, &it, &d)
                              : platform == 1 ? nt_bluesky_item(raw, len, &it, &d)
                                              : nt_x_item(raw, len, "akun_uji", &it, &d);
            if (err == NT_OK && platform == 2)
                nt_x_item_media(&it, x_media);
            if (err == NT_OK)
                check(&it, raw, len, platform == 1);
            else if (err != NT_EINPUT || !d.msg[0])
                abort(); /* a bad item is a clear input error, nothing else */
            nt_item_release(&it);
        }
    }
    json_decref(x_media);
    follows(body, size, sp);
    return 0;
}
