/* model_internal.h - private to src/model: the lookup maps behind sd_schema. */
#ifndef SCHEMADIFF_MODEL_INTERNAL_H
#define SCHEMADIFF_MODEL_INTERNAL_H

#include "schemadiff/hmap.h"
#include "schemadiff/model.h"

struct sd_table_map {
	sd_hmap tables;  /* key: schema "\0" name (schema "" = default) -> sd_table* */
	sd_hmap views;
};

void sd_model_map_rebuild(sd_schema *s);

#endif
