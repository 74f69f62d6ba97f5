/*
 * revision_int.h - private parts of the revision graph (src/revision/).
 */
#ifndef SD_REVISION_INT_H
#define SD_REVISION_INT_H

#include "schemadiff/arena.h"
#include "schemadiff/hmap.h"
#include "schemadiff/revision.h"

/* A node: the public revision first, so the two pointers convert. */
typedef struct sd_revnode {
	sd_revision pub;
	int color;                   /* cycle search: 0 white, 1 grey, 2 black */
	struct sd_revnode **edges;   /* down revisions then resolved depends_on */
	size_t n_edges;
} sd_revnode;

struct sd_revgraph_priv {
	sd_arena *arena;
	sd_hmap by_id;               /* id -> sd_revnode */
	sd_hmap by_label;            /* branch label -> sd_revnode */
	bool finished;
};

#endif
