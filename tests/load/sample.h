/* sample.h - a schema using every feature of the model, for round-trip tests. */
#ifndef SD_TESTS_LOAD_SAMPLE_H
#define SD_TESTS_LOAD_SAMPLE_H

#include "schemadiff/model.h"

/* A finished schema (aborts if sd_schema_finish fails); free with sd_schema_free. */
sd_schema *sample_schema(void);

#endif
