#!/bin/sh
# Turn a text file into a C string definition: embed.sh FILE SYMBOL > out.c
# (the server serves docs/openapi.json from memory: no file to find at run time)
set -eu
printf '/* generated from %s by scripts/embed.sh; do not edit */\n' "$1"
printf 'extern const char %s[];\nconst char %s[] =\n' "$2" "$2"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$1"
printf ';\n'
