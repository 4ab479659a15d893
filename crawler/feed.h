/*
 * feed.h - RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed documents into items.
 *
 * XML goes through libxml2 with network access off and no entity
 * substitution or DTD loading (so external entities are never fetched and
 * expansion bombs are refused by libxml2's limits); JSON Feed through
 * Jansson. Item text is the title and the content with HTML turned into
 * text. Each item keeps its own serialisation as raw evidence (the XML
 * element, or the JSON object) next to the request URL.
 */
#ifndef NT_CRAWL_FEED_H
#define NT_CRAWL_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define NT_FEED_MAX_ITEMS      5000
#define NT_FEED_MAX_ENCLOSURES 8

struct nt_feed_item {
    char *id;        /* guid, atom:id, rdf:about, JSON id; else the link */
    char *url;       /* link, or NULL */
    char *text;      /* title and content as plain text */
    char *author;    /* or NULL */
    char *published; /* "YYYY-MM-DDTHH:MM:SSZ", or NULL */
    char *raw;       /* the item as received, serialised */
    size_t raw_len;
    /* Attachments: RSS <enclosure>, Atom <link rel="enclosure">, JSON
     * Feed's image and attachments; URLs as written (maybe relative). */
    struct nt_feed_enclosure {
        char *url, *type; /* type: the feed's MIME hint, or NULL */
    } enclosures[NT_FEED_MAX_ENCLOSURES];
    size_t nenclosures;
};

struct nt_feed {
    char *format; /* "rss", "rdf", "atom", "json" */
    struct nt_feed_item *items;
    size_t nitems;
};

/* Parse body[0..len). NT_EINPUT with the reason (and line) in `d` for a
 * document that is not a feed or not well-formed. */
enum nt_err nt_feed_parse(const char *body, size_t len, struct nt_feed **out, struct nt_diag *d);
void nt_feed_free(struct nt_feed *f);

/* "Mon, 02 Jan 2006 15:04:05 +0700" (RFC 822) or RFC 3339 into UTC ISO
 * (out: 21 bytes). False when it is neither. */
bool nt_feed_date(const char *s, char *out, size_t n);

/* HTML as plain text, blanks collapsed (a new string; "" for NULL). */
char *nt_feed_html_text(const char *html);

#endif
