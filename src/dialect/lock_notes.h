/*
 * lock_notes.h - the PostgreSQL dialect's op_lock_note member (lock_notes.c).
 */
#ifndef SCHEMADIFF_DIALECT_LOCK_NOTES_H
#define SCHEMADIFF_DIALECT_LOCK_NOTES_H

#include "schemadiff/dialect.h"
#include "schemadiff/ops.h"

const char *sd_pg_op_lock_note(const sd_op *op);

#endif
