"""The registry of an LSST Gen3 data butler at weekly w.2020.22, as
SQLAlchemy metadata in the style daf_butler built it: tables from field
and foreign-key specs, a naming convention for foreign keys, UNIQUE
constraints and the per-FK indexes, explicit names for the length CHECKs,
Boolean columns with their (unnamed) CHECK constraint, composite primary
keys and foreign keys ON DELETE CASCADE.  create_all() on SQLite must give
the database fixtures/weekly/w.2020.22.json describes.
"""
import sqlalchemy as sa

NAMING_CONVENTION = {
    "fk": "fkey_%(table_name)s_%(referred_table_name)s_%(referred_column_0_N_name)s"
          "_%(column_0_N_name)s",
    "uq": "%(table_name)s_unq_%(column_0_N_name)s",
    "ix": "%(table_name)s_fkidx_%(column_0_N_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def Field(name, type_, nullable=True, primary_key=False, default=None, length=None):
    return dict(name=name, type=type_, nullable=nullable, primary_key=primary_key,
                default=default, length=length)


def Str(name, n, **kw):
    return Field(name, sa.String(n), length=n, **kw)


def ForeignKey(table, source, target, on_delete="CASCADE"):
    return dict(table=table, source=source, target=target, on_delete=on_delete)


def make_table(name, fields, fks=(), unique=(), indexes=()):
    """daf_butler's ddl.TableSpec -> sqlalchemy.Table, roughly."""
    args = []
    for f in fields:
        args.append(sa.Column(f["name"], f["type"], nullable=f["nullable"] and not f["primary_key"],
                              primary_key=f["primary_key"], server_default=f["default"]))
    for f in fields:
        if f["length"] is not None:
            args.append(sa.CheckConstraint("length(%s)<=%d" % (f["name"], f["length"]),
                                           name="%s_len_%s" % (name, f["name"])))
    for cols in unique:
        args.append(sa.UniqueConstraint(*cols))
    for fk in fks:
        args.append(sa.ForeignKeyConstraint(
            list(fk["source"]), ["%s.%s" % (fk["table"], c) for c in fk["target"]],
            ondelete=fk["on_delete"]))
    table = sa.Table(name, metadata, *args)
    for fk in fks:
        sa.Index(None, *[table.c[c] for c in fk["source"]])
    for ix_name, cols, is_unique in indexes:
        sa.Index(ix_name, *[table.c[c] for c in cols], unique=is_unique)
    return table


BIG = sa.BigInteger
INSTRUMENT = lambda **kw: Str("instrument", 16, nullable=False, **kw)  # noqa: E731

make_table("instrument", [
    Str("name", 16, nullable=False, primary_key=True),
    Field("visit_max", BIG()), Field("exposure_max", BIG()), Field("detector_max", BIG()),
    Str("class_name", 64)])
make_table("abstract_filter", [Str("name", 32, nullable=False, primary_key=True)])
make_table("physical_filter", [
    INSTRUMENT(primary_key=True), Str("name", 32, nullable=False, primary_key=True),
    Str("abstract_filter", 32)],
    fks=[ForeignKey("instrument", ["instrument"], ["name"]),
         ForeignKey("abstract_filter", ["abstract_filter"], ["name"])])
make_table("detector", [
    INSTRUMENT(primary_key=True), Field("id", BIG(), nullable=False, primary_key=True),
    Str("full_name", 32), Str("name_in_raft", 32), Str("raft", 32), Str("purpose", 32)],
    fks=[ForeignKey("instrument", ["instrument"], ["name"])])
make_table("visit", [
    INSTRUMENT(primary_key=True), Field("id", BIG(), nullable=False, primary_key=True),
    Str("name", 64), Str("physical_filter", 32),
    Field("datetime_begin", sa.TIMESTAMP()), Field("datetime_end", sa.TIMESTAMP()),
    Field("exposure_time", sa.Float()), Field("seeing", sa.Float()),
    Field("region", sa.LargeBinary())],
    fks=[ForeignKey("instrument", ["instrument"], ["name"]),
         ForeignKey("physical_filter", ["instrument", "physical_filter"], ["instrument", "name"])])
make_table("exposure", [
    INSTRUMENT(primary_key=True), Field("id", BIG(), nullable=False, primary_key=True),
    Str("name", 64), Str("physical_filter", 32), Field("visit", BIG()),
    Field("datetime_begin", sa.TIMESTAMP()), Field("datetime_end", sa.TIMESTAMP()),
    Field("exposure_time", sa.Float()), Field("dark_time", sa.Float()),
    Str("observation_type", 16), Str("observation_id", 64)],
    fks=[ForeignKey("instrument", ["instrument"], ["name"]),
         ForeignKey("physical_filter", ["instrument", "physical_filter"], ["instrument", "name"]),
         ForeignKey("visit", ["instrument", "visit"], ["instrument", "id"])])
make_table("visit_detector_region", [
    INSTRUMENT(primary_key=True), Field("visit", BIG(), nullable=False, primary_key=True),
    Field("detector", BIG(), nullable=False, primary_key=True), Field("region", sa.LargeBinary())],
    fks=[ForeignKey("visit", ["instrument", "visit"], ["instrument", "id"]),
         ForeignKey("detector", ["instrument", "detector"], ["instrument", "id"])])
make_table("calibration_label", [
    INSTRUMENT(primary_key=True), Str("name", 128, nullable=False, primary_key=True),
    Field("datetime_begin", sa.TIMESTAMP()), Field("datetime_end", sa.TIMESTAMP())],
    fks=[ForeignKey("instrument", ["instrument"], ["name"])])
make_table("skymap", [
    Str("name", 64, nullable=False, primary_key=True),
    Field("hash", sa.LargeBinary(), nullable=False),
    Field("tract_max", BIG()), Field("patch_nx_max", BIG()), Field("patch_ny_max", BIG())],
    unique=[("hash",)])
make_table("tract", [
    Str("skymap", 64, nullable=False, primary_key=True),
    Field("id", BIG(), nullable=False, primary_key=True),
    Field("ra", sa.Float()), Field("dec", sa.Float()), Field("region", sa.LargeBinary())],
    fks=[ForeignKey("skymap", ["skymap"], ["name"])])
make_table("patch", [
    Str("skymap", 64, nullable=False, primary_key=True),
    Field("tract", BIG(), nullable=False, primary_key=True),
    Field("id", BIG(), nullable=False, primary_key=True),
    Field("cell_x", BIG(), nullable=False), Field("cell_y", BIG(), nullable=False),
    Field("region", sa.LargeBinary())],
    fks=[ForeignKey("skymap", ["skymap"], ["name"]),
         ForeignKey("tract", ["skymap", "tract"], ["skymap", "id"])])
make_table("dataset_type", [
    Str("dataset_type_name", 128, nullable=False, primary_key=True),
    Str("storage_class", 64, nullable=False),
    Field("uniqueness", sa.SmallInteger(), nullable=False, default=sa.text("0"))])
for _kind in ("dimensions", "metadata"):
    make_table("dataset_type_" + _kind, [
        Str("dataset_type_name", 128, nullable=False, primary_key=True),
        Str(_kind[:-1] + "_name" if _kind == "dimensions" else "metadata_name", 32,
            nullable=False, primary_key=True)],
        fks=[ForeignKey("dataset_type", ["dataset_type_name"], ["dataset_type_name"])])
make_table("collection", [
    Field("collection_id", sa.Integer(), nullable=False, primary_key=True),
    Str("name", 64, nullable=False), Field("type", sa.SmallInteger(), nullable=False)],
    unique=[("name",)])
make_table("run", [
    Field("collection_id", sa.Integer(), nullable=False, primary_key=True),
    Str("name", 64, nullable=False),
    Field("datetime_begin", sa.TIMESTAMP()), Field("datetime_end", sa.TIMESTAMP()),
    Str("host", 128), Field("environment_id", BIG()), Field("pipeline_id", BIG())],
    fks=[ForeignKey("collection", ["collection_id"], ["collection_id"])],
    unique=[("name",)])
make_table("collection_chain", [
    Field("parent", sa.Integer(), nullable=False, primary_key=True),
    Field("child", sa.Integer(), nullable=False),
    Field("position", sa.SmallInteger(), nullable=False, primary_key=True),
    Str("dataset_type_name", 128)],
    fks=[ForeignKey("collection", ["parent"], ["collection_id"]),
         ForeignKey("collection", ["child"], ["collection_id"])])
make_table("quantum", [
    Field("id", BIG(), nullable=False, primary_key=True), Str("task", 256),
    Field("run_id", sa.Integer(), nullable=False),
    Field("start_time", sa.TIMESTAMP()), Field("end_time", sa.TIMESTAMP()), Str("host", 64)],
    fks=[ForeignKey("run", ["run_id"], ["collection_id"])])
make_table("dataset", [
    Field("id", BIG(), nullable=False, primary_key=True),
    Str("dataset_type_name", 128, nullable=False),
    Field("run_id", sa.Integer(), nullable=False), Field("quantum_id", BIG()),
    Str("dataset_ref_hash", 44, nullable=False),
    Str("instrument", 16), Field("detector", BIG()), Field("visit", BIG()),
    Field("exposure", BIG()), Str("physical_filter", 32), Str("abstract_filter", 32),
    Str("calibration_label", 128), Str("skymap", 64), Field("tract", BIG()),
    Field("patch", BIG()),
    Field("ingest_date", sa.TIMESTAMP(), default=sa.text("CURRENT_TIMESTAMP"))],
    fks=[ForeignKey("dataset_type", ["dataset_type_name"], ["dataset_type_name"]),
         ForeignKey("run", ["run_id"], ["collection_id"]),
         ForeignKey("quantum", ["quantum_id"], ["id"], on_delete="SET NULL")],
    unique=[("dataset_type_name", "run_id", "dataset_ref_hash")])
make_table("dataset_collection", [
    Field("dataset_id", BIG(), nullable=False),
    Str("dataset_ref_hash", 44, nullable=False, primary_key=True),
    Field("collection_id", sa.Integer(), nullable=False, primary_key=True)],
    fks=[ForeignKey("dataset", ["dataset_id"], ["id"]),
         ForeignKey("collection", ["collection_id"], ["collection_id"])])
make_table("dataset_consumers", [
    Field("quantum_id", BIG(), nullable=False, primary_key=True),
    Field("dataset_id", BIG(), nullable=False, primary_key=True),
    Field("actual", sa.Boolean(create_constraint=True), nullable=False, default=sa.true())],
    fks=[ForeignKey("quantum", ["quantum_id"], ["id"]),
         ForeignKey("dataset", ["dataset_id"], ["id"])])
make_table("dataset_location", [
    Field("dataset_id", BIG(), nullable=False, primary_key=True),
    Str("datastore_name", 256, nullable=False, primary_key=True)],
    fks=[ForeignKey("dataset", ["dataset_id"], ["id"])])
make_table("dataset_location_trash", [
    Field("dataset_id", BIG(), nullable=False, primary_key=True),
    Str("datastore_name", 256, nullable=False, primary_key=True)])
make_table("dataset_storage", [
    Field("dataset_id", BIG(), nullable=False, primary_key=True),
    Str("path", 256, nullable=False), Str("formatter", 128, nullable=False),
    Str("storage_class", 64, nullable=False), Str("component", 32), Str("checksum", 128),
    Field("file_size", BIG())],
    fks=[ForeignKey("dataset", ["dataset_id"], ["id"])],
    indexes=[("dataset_storage_idx_path", ["path"], True)])
