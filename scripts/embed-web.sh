#!/bin/sh
# embed-web.sh [WEBDIR] > web_assets.c: the page templates (WEBDIR/templates/*.html) and
# static assets (WEBDIR/static/*) as C data for handoffd (src/server/web_assets.h).
# Each asset gets a content-hashed URL (/static/app.<12 hex of SHA-256>.css) and a gzip -9n
# copy, so the server answers with either without compressing at run time.
set -eu
LC_ALL=C
export LC_ALL
web=${1:-web}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the bytes of a file as a C initializer list
bytes() {
    od -An -v -tx1 "$1" | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
}

printf '/* generated from %s/ by scripts/embed-web.sh; do not edit */\n' "$web"
printf '#include "server/web_assets.h"\n\n'

i=0
for f in "$web"/templates/*.html; do
    printf 'static const unsigned char t%d[] = {\n' "$i"
    bytes "$f"
    printf '0};\n'
    i=$((i + 1))
done
printf 'const hf_web_template hf__web_templates[] = {\n'
i=0
for f in "$web"/templates/*.html; do
    name=$(basename "$f" .html)
    case "$name" in
    *[!a-z0-9_]*) echo "embed-web.sh: $f: template names use a-z, 0-9 and _" >&2; exit 1 ;;
    esac
    printf '    {"%s", t%d, sizeof(t%d) - 1},\n' "$name" "$i" "$i"
    i=$((i + 1))
done
printf '};\nconst size_t hf__web_template_count = %d;\n\n' "$i"

i=0
for f in "$web"/static/*; do
    base=$(basename "$f")
    case "$base" in
    *[!a-z0-9_.-]* | .* | *.*.*) echo "embed-web.sh: $f: asset names are STEM.EXT in a-z, 0-9, _ and -" >&2; exit 1 ;;
    esac
    gzip -9nc "$f" > "$tmp/gz"
    printf 'static const unsigned char a%d[] = {\n' "$i"
    bytes "$f"
    printf '0};\nstatic const unsigned char z%d[] = {\n' "$i"
    bytes "$tmp/gz"
    printf '0};\n'
    i=$((i + 1))
done
printf 'const hf_web_asset hf__web_assets[] = {\n'
i=0
for f in "$web"/static/*; do
    base=$(basename "$f")
    stem=${base%.*}
    ext=${base##*.}
    hash=$(sha256sum "$f" | cut -c1-12)
    case "$ext" in
    css) type="text/css; charset=utf-8" ;;
    js) type="text/javascript; charset=utf-8" ;;
    svg) type="image/svg+xml" ;;
    png) type="image/png" ;;
    woff2) type="font/woff2" ;;
    *) echo "embed-web.sh: $f: unknown type .$ext" >&2; exit 1 ;;
    esac
    printf '    {"%s", "/static/%s.%s.%s", "%s", a%d, sizeof(a%d) - 1, z%d, sizeof(z%d) - 1},\n' \
        "$base" "$stem" "$hash" "$ext" "$type" "$i" "$i" "$i" "$i"
    i=$((i + 1))
done
printf '};\nconst size_t hf__web_asset_count = %d;\n' "$i"
