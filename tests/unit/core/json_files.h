/* Every .json file under a directory, recursively, read whole and handed to a callback:
 * the JSON reader's and writer's tests run over all of tests/data. */
#ifndef HANDOFF_TESTS_JSON_FILES_H
#define HANDOFF_TESTS_JSON_FILES_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Returns whether the file counts (the walk returns how many did). */
typedef bool (*json_file_cb)(const char *path, const char *text, size_t len);

static int json_files_walk(const char *dir, json_file_cb cb)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += json_files_walk(path, cb);
            continue;
        }
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        FILE *f = fopen(path, "rb");
        char *buf = f ? malloc((size_t)st.st_size + 1) : NULL;
        size_t got = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
        if (f)
            fclose(f);
        if (!buf || got != (size_t)st.st_size) {
            fprintf(stderr, "cannot read %s\n", path);
            abort();
        }
        buf[got] = '\0';
        n += cb(path, buf, got) ? 1 : 0;
        free(buf);
    }
    closedir(d);
    return n;
}

#endif
