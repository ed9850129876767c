/* prof_speedscope.c - a profile in speedscope's file format
 * (https://www.speedscope.app/file-format-schema.json): shared.frames (name, file,
 * line), one profile of type "sampled" whose samples are stacks of frame indices,
 * root first, weighted by their sample counts.  Names that are not UTF-8 (a command
 * line's Latin-1 argument) have U+FFFD for such bytes: json_string refused them, and
 * the file lacked the "name" speedscope requires. */
#include <stdio.h>

#include "profile.h"

char *tach__profile_speedscope(const tach__profile *p)
{
    json_t *doc = json_object(), *shared = json_object(), *frames = json_array();
    json_t *profiles = json_array(), *prof = json_object(), *samples = json_array(),
           *weights = json_array();
    char *text = NULL;
    if (!doc || !shared || !frames || !profiles || !prof || !samples || !weights) goto out;
    for (size_t i = 0; i < p->nframes; i++) {
        const tach__prof_frame *f = &p->frames[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", tach__json_string_lossy(f->func));
        if (f->file) json_object_set_new(o, "file", tach__json_string_lossy(f->file));
        if (f->decl_line) json_object_set_new(o, "line", json_integer(f->decl_line));
        json_array_append_new(frames, o);
    }
    for (size_t i = 0; i < p->npaths; i++) {
        json_t *s = json_array();
        for (size_t k = 0; k < p->paths[i].depth; k++)
            json_array_append_new(s, json_integer((json_int_t)p->paths[i].frames[k]));
        json_array_append_new(samples, s);
        json_array_append_new(weights, json_integer((json_int_t)p->paths[i].count));
    }
    json_object_set_new(doc, "$schema", json_string("https://www.speedscope.app/file-format-schema.json"));
    json_object_set_new(shared, "frames", frames);
    frames = NULL;
    json_object_set_new(doc, "shared", shared);
    shared = NULL;
    json_object_set_new(prof, "type", json_string("sampled"));
    json_object_set_new(prof, "name", tach__json_string_lossy(p->name));
    json_object_set_new(prof, "unit", json_string("none"));
    json_object_set_new(prof, "startValue", json_integer(0));
    json_object_set_new(prof, "endValue", json_integer((json_int_t)p->samples));
    json_object_set_new(prof, "samples", samples);
    samples = NULL;
    json_object_set_new(prof, "weights", weights);
    weights = NULL;
    json_array_append_new(profiles, prof);
    prof = NULL;
    json_object_set_new(doc, "profiles", profiles);
    profiles = NULL;
    json_object_set_new(doc, "name", tach__json_string_lossy(p->name));
    json_object_set_new(doc, "activeProfileIndex", json_integer(0));
    char exporter[64];
    snprintf(exporter, sizeof exporter, "tach %s", tach_version());
    json_object_set_new(doc, "exporter", json_string(exporter));
    text = json_dumps(doc, JSON_COMPACT);
out:
    json_decref(doc);
    json_decref(shared);
    json_decref(frames);
    json_decref(profiles);
    json_decref(prof);
    json_decref(samples);
    json_decref(weights);
    return text;
}
