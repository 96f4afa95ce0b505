/* The files of web/ compiled into handoffd: page templates and static assets, generated
 * into $(BUILD)/gen/web_assets.c by scripts/embed-web.sh, so the binary needs no files at
 * run time and an asset's URL changes whenever its content does. */
#ifndef HANDOFF_SERVER_WEB_ASSETS_H
#define HANDOFF_SERVER_WEB_ASSETS_H

#include <stddef.h>

/* web/templates/NAME.html */
typedef struct hf_web_template {
    const char *name; /* NAME */
    const unsigned char *text;
    size_t len;
} hf_web_template;

/* web/static/STEM.EXT, served at /static/STEM.HASH.EXT (HASH: the first 12 hex digits of
 * its SHA-256), with its gzip -9 form precomputed. */
typedef struct hf_web_asset {
    const char *name;         /* "app.css" */
    const char *url;          /* "/static/app.0123456789ab.css" */
    const char *content_type; /* "text/css; charset=utf-8" */
    const unsigned char *data;
    size_t len;
    const unsigned char *gz;
    size_t gz_len;
} hf_web_asset;

extern const hf_web_template hf__web_templates[];
extern const size_t hf__web_template_count;
extern const hf_web_asset hf__web_assets[];
extern const size_t hf__web_asset_count;

#endif
