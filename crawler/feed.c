/*
 * feed.c - feed parsing with libxml2 and Jansson.
 */
#include "feed.h"

#include <ctype.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "date.h"

static const char *const months[12] = { "jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec" };

bool nt_feed_date(const char *s, char *out, size_t n)
{
    int y, mo, d, hh = 0, mm = 0, ss = 0, off = 0;
    char mon[4] = "", zone[8] = "";
    time_t t;
    while (*s == ' ')
        s++;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &hh, &mm, &ss) >= 3) {
        /* RFC 3339: zone after the seconds (and an optional fraction).
         * Walked, not jumped: fields may be shorter than their widths. */
        const char *z = s;
        while (*z && (isdigit((unsigned char)*z) || *z == '-'))
            z++;
        if (*z == 'T' || *z == ' ') {
            z++;
            while (*z && (isdigit((unsigned char)*z) || *z == ':'))
                z++;
            if (*z == '.')
                while (*++z && isdigit((unsigned char)*z))
                    ;
            if (*z == '+' || *z == '-') {
                int zh = 0, zm = 0;
                if (sscanf(z + 1, "%2d:%2d", &zh, &zm) < 1)
                    return false;
                off = (zh * 60 + zm) * (*z == '-' ? -1 : 1);
            }
        }
    } else {
        /* RFC 822: optional "Day, " then "02 Jan 2006 15:04:05 +0700|GMT". */
        const char *c = strchr(s, ',');
        if (c)
            s = c + 1;
        if (sscanf(s, " %d %3s %d %d:%d:%d %7s", &d, mon, &y, &hh, &mm, &ss, zone) < 6)
            return false;
        mo = 0;
        for (int i = 0; i < 12; i++)
            if (strcasecmp(mon, months[i]) == 0)
                mo = i + 1;
        if (!mo)
            return false;
        if (y < 100)
            y += 2000;
        if (zone[0] == '+' || zone[0] == '-') {
            int v = (int)strtol(zone + 1, NULL, 10);
            off = (v / 100 * 60 + v % 100) * (zone[0] == '-' ? -1 : 1);
        }
    }
    char iso[32];
    snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, hh, mm, ss);
    if (!nt_time_parse(iso, &t))
        return false;
    nt_time_iso(t - off * 60, out, n);
    return true;
}

static char *xstr(const xmlChar *s)
{
    return s ? strdup((const char *)s) : NULL;
}

/* Collapse blanks in place. */
static void squeeze(char *s)
{
    char *o = s;
    bool blank = true;
    for (char *p = s; *p; p++) {
        if (isspace((unsigned char)*p)) {
            if (!blank)
                *o++ = ' ';
            blank = true;
        } else {
            *o++ = *p;
            blank = false;
        }
    }
    if (o > s && o[-1] == ' ')
        o--;
    *o = '\0';
}

/* HTML (from a description or content element) as plain text. */
char *nt_feed_html_text(const char *html)
{
    if (!html || !*html)
        return strdup("");
    if (!strchr(html, '<') && !strchr(html, '&')) {
        char *t = strdup(html);
        if (t)
            squeeze(t);
        return t;
    }
    htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NOIMPLIED);
    if (!doc)
        return strdup("");
    xmlChar *c = xmlNodeGetContent(xmlDocGetRootElement(doc));
    char *t = strdup(c ? (const char *)c : "");
    xmlFree(c);
    xmlFreeDoc(doc);
    if (t)
        squeeze(t);
    return t;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static char *child_text(xmlNodePtr n, const char *name)
{
    xmlNodePtr c = child(n, name);
    if (!c)
        return NULL;
    xmlChar *v = xmlNodeGetContent(c);
    char *s = xstr(v);
    xmlFree(v);
    if (s)
        squeeze(s);
    return s;
}

static char *join_text(const char *title, const char *body)
{
    struct nt_buf b;
    nt_buf_init(&b, (size_t)1 << 24);
    if (title && *title)
        nt_buf_append_str(&b, title);
    if (body && *body) {
        if (b.len)
            nt_buf_append_str(&b, "\n\n");
        nt_buf_append_str(&b, body);
    }
    return nt_buf_detach(&b, NULL);
}

static bool add_item(struct nt_feed *f, struct nt_feed_item *it)
{
    if (f->nitems >= NT_FEED_MAX_ITEMS)
        return false;
    struct nt_feed_item *v = realloc(f->items, (f->nitems + 1) * sizeof(*v));
    if (!v)
        return false;
    f->items = v;
    f->items[f->nitems++] = *it;
    return true;
}

static void item_release(struct nt_feed_item *it)
{
    for (size_t i = 0; i < it->nenclosures; i++) {
        free(it->enclosures[i].url);
        free(it->enclosures[i].type);
    }
    free(it->id);
    free(it->url);
    free(it->text);
    free(it->author);
    free(it->published);
    free(it->raw);
}

/* One attachment (copied); beyond NT_FEED_MAX_ENCLOSURES or without a
 * URL, nothing. */
static void add_enclosure(struct nt_feed_item *it, const char *url, const char *type)
{
    if (!url || !*url || strlen(url) > 2000 || it->nenclosures >= NT_FEED_MAX_ENCLOSURES)
        return;
    char *u = strdup(url), *t = type && *type ? strdup(type) : NULL;
    if (!u) {
        free(t);
        return;
    }
    it->enclosures[it->nenclosures++] = (struct nt_feed_enclosure){ u, t };
}

/* An element's attribute `a` as a string for add_enclosure. */
static void xml_enclosure(struct nt_feed_item *it, xmlNodePtr c, const char *a)
{
    xmlChar *url = xmlGetProp(c, (const xmlChar *)a);
    xmlChar *type = xmlGetProp(c, (const xmlChar *)"type");
    add_enclosure(it, (const char *)url, (const char *)type);
    xmlFree(url);
    xmlFree(type);
}

/* The item's body as text: the first of two child elements present, its
 * HTML turned into text. NULL when neither is there. */
static char *body_text(xmlNodePtr n, const char *first, const char *second)
{
    xmlNodePtr content = child(n, first) ? child(n, first) : child(n, second);
    if (!content)
        return NULL;
    xmlChar *v = xmlNodeGetContent(content);
    char *text = nt_feed_html_text((const char *)v);
    xmlFree(v);
    return text;
}

static void xml_item(struct nt_feed *f, xmlDocPtr doc, xmlNodePtr n, bool atom)
{
    struct nt_feed_item it;
    memset(&it, 0, sizeof(it));
    char *title = child_text(n, "title"), *body = NULL, *date = NULL;
    if (atom) {
        it.id = child_text(n, "id");
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "link") != 0)
                continue;
            xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
            if (rel && strcmp((const char *)rel, "enclosure") == 0)
                xml_enclosure(&it, c, "href");
            if (!rel || strcmp((const char *)rel, "alternate") == 0) {
                xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
                free(it.url);
                it.url = xstr(href);
                xmlFree(href);
            }
            xmlFree(rel);
        }
        body = body_text(n, "content", "summary");
        xmlNodePtr author = child(n, "author");
        it.author = author ? child_text(author, "name") : NULL;
        date = child_text(n, "published");
        if (!date)
            date = child_text(n, "updated");
    } else {
        it.id = child_text(n, "guid");
        it.url = child_text(n, "link");
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "enclosure") == 0)
                xml_enclosure(&it, c, "url");
        if (!it.id) {
            xmlChar *about = xmlGetProp(n, (const xmlChar *)"about");
            it.id = xstr(about);
            xmlFree(about);
        }
        body = body_text(n, "encoded", "description");
        it.author = child_text(n, "creator");
        if (!it.author)
            it.author = child_text(n, "author");
        date = child_text(n, "pubDate");
        if (!date)
            date = child_text(n, "date");
    }
    if (!it.id && it.url)
        it.id = strdup(it.url);
    it.text = join_text(title, body);
    char iso[32];
    if (date && nt_feed_date(date, iso, sizeof(iso)))
        it.published = strdup(iso);
    xmlBufferPtr buf = xmlBufferCreate();
    if (buf && xmlNodeDump(buf, doc, n, 0, 0) >= 0) {
        it.raw_len = (size_t)xmlBufferLength(buf);
        it.raw = malloc(it.raw_len + 1);
        if (it.raw) {
            memcpy(it.raw, xmlBufferContent(buf), it.raw_len);
            it.raw[it.raw_len] = '\0';
        }
    }
    xmlBufferFree(buf);
    free(title);
    free(body);
    free(date);
    if (!it.id || !it.text || !it.raw || !add_item(f, &it))
        item_release(&it);
}

static enum nt_err parse_xml(const char *body, size_t len, struct nt_feed *f, struct nt_diag *d)
{
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    /* No network, no entity substitution, no DTD loading. */
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, body, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctx);
        enum nt_err err = nt_diag_set(d, NT_EINPUT, "XML tidak sah pada baris %d: %s",
                                      e ? e->line : 0, e && e->message ? e->message : "?");
        if (d) {
            d->line = e ? (unsigned long)e->line : 0;
            size_t l = strlen(d->msg);
            while (l && (d->msg[l - 1] == '\n' || d->msg[l - 1] == ' '))
                d->msg[--l] = '\0';
        }
        xmlFreeParserCtxt(ctx);
        return err;
    }
    /* A feed has no business declaring entities: expanding internal ones
     * (xmlNodeGetContent does, substitution or not) lets a 600 KB
     * "billion laughs" document take gigabytes. Refused before any text is
     * read. */
    xmlDtdPtr dtd = xmlGetIntSubset(doc);
    if ((dtd && (dtd->entities || dtd->pentities)) ||
        (doc->extSubset && doc->extSubset->entities)) {
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctx);
        return nt_diag_set(
            d, NT_EINPUT,
            "XML mendeklarasikan entitas (<!ENTITY>): ditolak, umpan tidak memerlukannya");
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    enum nt_err err = NT_OK;
    const char *name = root ? (const char *)root->name : "";
    if (strcmp(name, "rss") == 0) {
        f->format = strdup("rss");
        for (xmlNodePtr c = child(root, "channel") ? child(root, "channel")->children : NULL; c;
             c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "item") == 0)
                xml_item(f, doc, c, false);
    } else if (strcmp(name, "RDF") == 0) {
        f->format = strdup("rdf");
        for (xmlNodePtr c = root->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "item") == 0)
                xml_item(f, doc, c, false);
    } else if (strcmp(name, "feed") == 0) {
        f->format = strdup("atom");
        for (xmlNodePtr c = root->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "entry") == 0)
                xml_item(f, doc, c, true);
    } else {
        err = nt_diag_set(d, NT_EINPUT, "dokumen XML bukan RSS, RDF, atau Atom (<%s>)", name);
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctx);
    return err;
}

static enum nt_err parse_json(const char *body, size_t len, struct nt_feed *f, struct nt_diag *d)
{
    json_error_t je;
    json_t *root = json_loadb(body, len, 0, &je);
    if (!root) {
        if (d)
            d->line = (unsigned long)(je.line > 0 ? je.line : 0);
        return nt_diag_set(d, NT_EINPUT, "JSON tidak sah pada baris %d: %s", je.line, je.text);
    }
    const char *version = json_string_value(json_object_get(root, "version"));
    json_t *items = json_object_get(root, "items");
    if (!version || strncmp(version, "https://jsonfeed.org/version/", 29) != 0 ||
        !json_is_array(items)) {
        json_decref(root);
        return nt_diag_set(d, NT_EINPUT, "dokumen JSON bukan JSON Feed");
    }
    f->format = strdup("json");
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        struct nt_feed_item it;
        memset(&it, 0, sizeof(it));
        const char *id = json_string_value(json_object_get(o, "id"));
        const char *url = json_string_value(json_object_get(o, "url"));
        const char *title = json_string_value(json_object_get(o, "title"));
        const char *text = json_string_value(json_object_get(o, "content_text"));
        const char *html = json_string_value(json_object_get(o, "content_html"));
        const char *date = json_string_value(json_object_get(o, "date_published"));
        json_t *author = json_object_get(o, "author");
        char *content = text ? strdup(text) : nt_feed_html_text(html);
        it.id = id ? strdup(id) : url ? strdup(url) : NULL;
        it.url = url ? strdup(url) : NULL;
        it.text = join_text(title, content);
        free(content);
        const char *an = json_string_value(json_object_get(author, "name"));
        it.author = an ? strdup(an) : NULL;
        char iso[32];
        if (date && nt_feed_date(date, iso, sizeof(iso)))
            it.published = strdup(iso);
        add_enclosure(&it, json_string_value(json_object_get(o, "image")), NULL);
        size_t k;
        json_t *at;
        json_array_foreach(json_object_get(o, "attachments"), k, at)
            add_enclosure(&it, json_string_value(json_object_get(at, "url")),
                          json_string_value(json_object_get(at, "mime_type")));
        it.raw = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        it.raw_len = it.raw ? strlen(it.raw) : 0;
        if (!it.id || !it.text || !it.raw || !add_item(f, &it))
            item_release(&it);
    }
    json_decref(root);
    return NT_OK;
}

enum nt_err nt_feed_parse(const char *body, size_t len, struct nt_feed **out, struct nt_diag *d)
{
    struct nt_feed *f = calloc(1, sizeof(*f));
    if (!f)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    size_t i = 0;
    while (i < len && isspace((unsigned char)body[i]))
        i++;
    if (len - i >= 3 && memcmp(body + i, "\xEF\xBB\xBF", 3) == 0)
        i += 3;
    enum nt_err err = i < len && body[i] == '{' ? parse_json(body + i, len - i, f, d)
                                                : parse_xml(body, len, f, d);
    if (err) {
        nt_feed_free(f);
        return err;
    }
    *out = f;
    return NT_OK;
}

void nt_feed_free(struct nt_feed *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nitems; i++)
        item_release(&f->items[i]);
    free(f->items);
    free(f->format);
    free(f);
}
