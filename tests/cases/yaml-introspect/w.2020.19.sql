-- The registry of an LSST Gen3 data butler (daf_butler) as created by the
-- weekly release w.2020.19 (May 2020), SQLite flavour: DDL in the shape
-- SQLAlchemy 1.3 emitted it, plus the alembic_version stamp and a few rows.
-- Build: sqlite3 registry.db < w.2020.19.sql
PRAGMA foreign_keys = ON;
BEGIN;

CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE instrument (
	name VARCHAR(16) NOT NULL, 
	visit_max BIGINT, 
	exposure_max BIGINT, 
	detector_max BIGINT, 
	class_name VARCHAR(64), 
	PRIMARY KEY (name), 
	CONSTRAINT instrument_len_name CHECK (length(name)<=16), 
	CONSTRAINT instrument_len_class_name CHECK (length(class_name)<=64)
);

CREATE TABLE abstract_filter (
	name VARCHAR(32) NOT NULL, 
	PRIMARY KEY (name), 
	CONSTRAINT abstract_filter_len_name CHECK (length(name)<=32)
);

CREATE TABLE physical_filter (
	instrument VARCHAR(16) NOT NULL, 
	name VARCHAR(32) NOT NULL, 
	abstract_filter VARCHAR(32), 
	PRIMARY KEY (instrument, name), 
	CONSTRAINT physical_filter_len_instrument CHECK (length(instrument)<=16), 
	CONSTRAINT physical_filter_len_name CHECK (length(name)<=32), 
	CONSTRAINT physical_filter_len_abstract_filter CHECK (length(abstract_filter)<=32), 
	CONSTRAINT fkey_physical_filter_abstract_filter_name_abstract_filter FOREIGN KEY(abstract_filter) REFERENCES abstract_filter (name) ON DELETE CASCADE, 
	CONSTRAINT fkey_physical_filter_instrument_name_instrument FOREIGN KEY(instrument) REFERENCES instrument (name) ON DELETE CASCADE
);
CREATE INDEX physical_filter_fkidx_instrument ON physical_filter (instrument);
CREATE INDEX physical_filter_fkidx_abstract_filter ON physical_filter (abstract_filter);

CREATE TABLE detector (
	instrument VARCHAR(16) NOT NULL, 
	id BIGINT NOT NULL, 
	full_name VARCHAR(32), 
	name_in_raft VARCHAR(32), 
	raft VARCHAR(32), 
	purpose VARCHAR(32), 
	PRIMARY KEY (instrument, id), 
	CONSTRAINT detector_len_instrument CHECK (length(instrument)<=16), 
	CONSTRAINT detector_len_full_name CHECK (length(full_name)<=32), 
	CONSTRAINT detector_len_name_in_raft CHECK (length(name_in_raft)<=32), 
	CONSTRAINT detector_len_raft CHECK (length(raft)<=32), 
	CONSTRAINT detector_len_purpose CHECK (length(purpose)<=32), 
	CONSTRAINT fkey_detector_instrument_name_instrument FOREIGN KEY(instrument) REFERENCES instrument (name) ON DELETE CASCADE
);
CREATE INDEX detector_fkidx_instrument ON detector (instrument);

CREATE TABLE visit (
	instrument VARCHAR(16) NOT NULL, 
	id BIGINT NOT NULL, 
	name VARCHAR(64), 
	physical_filter VARCHAR(32), 
	datetime_begin TIMESTAMP, 
	datetime_end TIMESTAMP, 
	exposure_time FLOAT, 
	seeing FLOAT, 
	region BLOB, 
	PRIMARY KEY (instrument, id), 
	CONSTRAINT visit_len_instrument CHECK (length(instrument)<=16), 
	CONSTRAINT visit_len_name CHECK (length(name)<=64), 
	CONSTRAINT visit_len_physical_filter CHECK (length(physical_filter)<=32), 
	CONSTRAINT fkey_visit_instrument_name_instrument FOREIGN KEY(instrument) REFERENCES instrument (name) ON DELETE CASCADE, 
	CONSTRAINT fkey_visit_physical_filter_instrument_name_instrument_physical_filter FOREIGN KEY(instrument, physical_filter) REFERENCES physical_filter (instrument, name) ON DELETE CASCADE
);
CREATE INDEX visit_fkidx_instrument ON visit (instrument);
CREATE INDEX visit_fkidx_instrument_physical_filter ON visit (instrument, physical_filter);

CREATE TABLE exposure (
	instrument VARCHAR(16) NOT NULL, 
	id BIGINT NOT NULL, 
	name VARCHAR(64), 
	physical_filter VARCHAR(32), 
	visit BIGINT, 
	datetime_begin TIMESTAMP, 
	datetime_end TIMESTAMP, 
	exposure_time FLOAT, 
	dark_time FLOAT, 
	observation_type VARCHAR(16), 
	observation_id VARCHAR(64), 
	PRIMARY KEY (instrument, id), 
	CONSTRAINT exposure_len_instrument CHECK (length(instrument)<=16), 
	CONSTRAINT exposure_len_name CHECK (length(name)<=64), 
	CONSTRAINT exposure_len_physical_filter CHECK (length(physical_filter)<=32), 
	CONSTRAINT exposure_len_observation_type CHECK (length(observation_type)<=16), 
	CONSTRAINT exposure_len_observation_id CHECK (length(observation_id)<=64), 
	CONSTRAINT fkey_exposure_instrument_name_instrument FOREIGN KEY(instrument) REFERENCES instrument (name) ON DELETE CASCADE, 
	CONSTRAINT fkey_exposure_physical_filter_instrument_name_instrument_physical_filter FOREIGN KEY(instrument, physical_filter) REFERENCES physical_filter (instrument, name) ON DELETE CASCADE, 
	CONSTRAINT fkey_exposure_visit_instrument_id_instrument_visit FOREIGN KEY(instrument, visit) REFERENCES visit (instrument, id) ON DELETE CASCADE
);
CREATE INDEX exposure_fkidx_instrument ON exposure (instrument);
CREATE INDEX exposure_fkidx_instrument_physical_filter ON exposure (instrument, physical_filter);
CREATE INDEX exposure_fkidx_instrument_visit ON exposure (instrument, visit);

CREATE TABLE visit_detector_region (
	instrument VARCHAR(16) NOT NULL, 
	visit BIGINT NOT NULL, 
	detector BIGINT NOT NULL, 
	region BLOB, 
	PRIMARY KEY (instrument, visit, detector), 
	CONSTRAINT visit_detector_region_len_instrument CHECK (length(instrument)<=16), 
	CONSTRAINT fkey_visit_detector_region_detector_instrument_id_instrument_detector FOREIGN KEY(instrument, detector) REFERENCES detector (instrument, id) ON DELETE CASCADE, 
	CONSTRAINT fkey_visit_detector_region_visit_instrument_id_instrument_visit FOREIGN KEY(instrument, visit) REFERENCES visit (instrument, id) ON DELETE CASCADE
);
CREATE INDEX visit_detector_region_fkidx_instrument_visit ON visit_detector_region (instrument, visit);
CREATE INDEX visit_detector_region_fkidx_instrument_detector ON visit_detector_region (instrument, detector);

CREATE TABLE calibration_label (
	instrument VARCHAR(16) NOT NULL, 
	name VARCHAR(128) NOT NULL, 
	datetime_begin TIMESTAMP, 
	datetime_end TIMESTAMP, 
	PRIMARY KEY (instrument, name), 
	CONSTRAINT calibration_label_len_instrument CHECK (length(instrument)<=16), 
	CONSTRAINT calibration_label_len_name CHECK (length(name)<=128), 
	CONSTRAINT fkey_calibration_label_instrument_name_instrument FOREIGN KEY(instrument) REFERENCES instrument (name) ON DELETE CASCADE
);
CREATE INDEX calibration_label_fkidx_instrument ON calibration_label (instrument);

CREATE TABLE skymap (
	name VARCHAR(64) NOT NULL, 
	hash BLOB NOT NULL, 
	tract_max BIGINT, 
	patch_nx_max BIGINT, 
	patch_ny_max BIGINT, 
	PRIMARY KEY (name), 
	CONSTRAINT skymap_unq_hash UNIQUE (hash), 
	CONSTRAINT skymap_len_name CHECK (length(name)<=64)
);

CREATE TABLE tract (
	skymap VARCHAR(64) NOT NULL, 
	id BIGINT NOT NULL, 
	ra FLOAT, 
	dec FLOAT, 
	region BLOB, 
	PRIMARY KEY (skymap, id), 
	CONSTRAINT tract_len_skymap CHECK (length(skymap)<=64), 
	CONSTRAINT fkey_tract_skymap_name_skymap FOREIGN KEY(skymap) REFERENCES skymap (name) ON DELETE CASCADE
);
CREATE INDEX tract_fkidx_skymap ON tract (skymap);

CREATE TABLE patch (
	skymap VARCHAR(64) NOT NULL, 
	tract BIGINT NOT NULL, 
	id BIGINT NOT NULL, 
	cell_x BIGINT NOT NULL, 
	cell_y BIGINT NOT NULL, 
	region BLOB, 
	PRIMARY KEY (skymap, tract, id), 
	CONSTRAINT patch_len_skymap CHECK (length(skymap)<=64), 
	CONSTRAINT fkey_patch_skymap_name_skymap FOREIGN KEY(skymap) REFERENCES skymap (name) ON DELETE CASCADE, 
	CONSTRAINT fkey_patch_tract_skymap_id_skymap_tract FOREIGN KEY(skymap, tract) REFERENCES tract (skymap, id) ON DELETE CASCADE
);
CREATE INDEX patch_fkidx_skymap ON patch (skymap);
CREATE INDEX patch_fkidx_skymap_tract ON patch (skymap, tract);

CREATE TABLE dataset_type (
	dataset_type_name VARCHAR(128) NOT NULL, 
	storage_class VARCHAR(64) NOT NULL, 
	uniqueness SMALLINT DEFAULT 0 NOT NULL, 
	PRIMARY KEY (dataset_type_name), 
	CONSTRAINT dataset_type_len_dataset_type_name CHECK (length(dataset_type_name)<=128), 
	CONSTRAINT dataset_type_len_storage_class CHECK (length(storage_class)<=64)
);

CREATE TABLE dataset_type_dimensions (
	dataset_type_name VARCHAR(128) NOT NULL, 
	dimension_name VARCHAR(32) NOT NULL, 
	PRIMARY KEY (dataset_type_name, dimension_name), 
	CONSTRAINT dataset_type_dimensions_len_dataset_type_name CHECK (length(dataset_type_name)<=128), 
	CONSTRAINT dataset_type_dimensions_len_dimension_name CHECK (length(dimension_name)<=32), 
	CONSTRAINT fkey_dataset_type_dimensions_dataset_type_dataset_type_name_dataset_type_name FOREIGN KEY(dataset_type_name) REFERENCES dataset_type (dataset_type_name) ON DELETE CASCADE
);
CREATE INDEX dataset_type_dimensions_fkidx_dataset_type_name ON dataset_type_dimensions (dataset_type_name);

CREATE TABLE dataset_type_metadata (
	dataset_type_name VARCHAR(128) NOT NULL, 
	metadata_name VARCHAR(32) NOT NULL, 
	PRIMARY KEY (dataset_type_name, metadata_name), 
	CONSTRAINT dataset_type_metadata_len_dataset_type_name CHECK (length(dataset_type_name)<=128), 
	CONSTRAINT dataset_type_metadata_len_metadata_name CHECK (length(metadata_name)<=32), 
	CONSTRAINT fkey_dataset_type_metadata_dataset_type_dataset_type_name_dataset_type_name FOREIGN KEY(dataset_type_name) REFERENCES dataset_type (dataset_type_name) ON DELETE CASCADE
);
CREATE INDEX dataset_type_metadata_fkidx_dataset_type_name ON dataset_type_metadata (dataset_type_name);

CREATE TABLE collection (
	collection_id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	type SMALLINT NOT NULL, 
	PRIMARY KEY (collection_id), 
	CONSTRAINT collection_unq_name UNIQUE (name), 
	CONSTRAINT collection_len_name CHECK (length(name)<=64)
);

CREATE TABLE run (
	collection_id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	datetime_begin TIMESTAMP, 
	datetime_end TIMESTAMP, 
	host VARCHAR(128), 
	environment_id BIGINT, 
	pipeline_id BIGINT, 
	PRIMARY KEY (collection_id), 
	CONSTRAINT run_unq_name UNIQUE (name), 
	CONSTRAINT run_len_name CHECK (length(name)<=64), 
	CONSTRAINT run_len_host CHECK (length(host)<=128), 
	CONSTRAINT fkey_run_collection_collection_id_collection_id FOREIGN KEY(collection_id) REFERENCES collection (collection_id) ON DELETE CASCADE
);
CREATE INDEX run_fkidx_collection_id ON run (collection_id);

CREATE TABLE collection_chain (
	parent INTEGER NOT NULL, 
	child INTEGER NOT NULL, 
	position SMALLINT NOT NULL, 
	dataset_type_name VARCHAR(128), 
	PRIMARY KEY (parent, position), 
	CONSTRAINT collection_chain_len_dataset_type_name CHECK (length(dataset_type_name)<=128), 
	CONSTRAINT fkey_collection_chain_collection_collection_id_child FOREIGN KEY(child) REFERENCES collection (collection_id) ON DELETE CASCADE, 
	CONSTRAINT fkey_collection_chain_collection_collection_id_parent FOREIGN KEY(parent) REFERENCES collection (collection_id) ON DELETE CASCADE
);
CREATE INDEX collection_chain_fkidx_child ON collection_chain (child);
CREATE INDEX collection_chain_fkidx_parent ON collection_chain (parent);

CREATE TABLE quantum (
	id BIGINT NOT NULL, 
	task VARCHAR(256), 
	run_id INTEGER NOT NULL, 
	start_time TIMESTAMP, 
	end_time TIMESTAMP, 
	host VARCHAR(64), 
	PRIMARY KEY (id), 
	CONSTRAINT quantum_len_task CHECK (length(task)<=256), 
	CONSTRAINT quantum_len_host CHECK (length(host)<=64), 
	CONSTRAINT fkey_quantum_run_collection_id_run_id FOREIGN KEY(run_id) REFERENCES run (collection_id) ON DELETE CASCADE
);
CREATE INDEX quantum_fkidx_run_id ON quantum (run_id);

CREATE TABLE dataset (
	id BIGINT NOT NULL, 
	dataset_type_name VARCHAR(128) NOT NULL, 
	run_id INTEGER NOT NULL, 
	quantum_id BIGINT, 
	dataset_ref_hash VARCHAR(44) NOT NULL, 
	instrument VARCHAR(16), 
	detector BIGINT, 
	visit BIGINT, 
	exposure BIGINT, 
	physical_filter VARCHAR(32), 
	abstract_filter VARCHAR(32), 
	calibration_label VARCHAR(128), 
	skymap VARCHAR(64), 
	tract BIGINT, 
	patch BIGINT, 
	ingest_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP, 
	PRIMARY KEY (id), 
	CONSTRAINT dataset_unq_dataset_type_name_run_id_dataset_ref_hash UNIQUE (dataset_type_name, run_id, dataset_ref_hash), 
	CONSTRAINT dataset_len_dataset_type_name CHECK (length(dataset_type_name)<=128), 
	CONSTRAINT dataset_len_dataset_ref_hash CHECK (length(dataset_ref_hash)<=44), 
	CONSTRAINT dataset_len_instrument CHECK (length(instrument)<=16), 
	CONSTRAINT dataset_len_physical_filter CHECK (length(physical_filter)<=32), 
	CONSTRAINT dataset_len_abstract_filter CHECK (length(abstract_filter)<=32), 
	CONSTRAINT dataset_len_calibration_label CHECK (length(calibration_label)<=128), 
	CONSTRAINT dataset_len_skymap CHECK (length(skymap)<=64), 
	CONSTRAINT fkey_dataset_dataset_type_dataset_type_name_dataset_type_name FOREIGN KEY(dataset_type_name) REFERENCES dataset_type (dataset_type_name) ON DELETE CASCADE, 
	CONSTRAINT fkey_dataset_quantum_id_quantum_id FOREIGN KEY(quantum_id) REFERENCES quantum (id) ON DELETE SET NULL, 
	CONSTRAINT fkey_dataset_run_collection_id_run_id FOREIGN KEY(run_id) REFERENCES run (collection_id) ON DELETE CASCADE
);
CREATE INDEX dataset_fkidx_dataset_type_name ON dataset (dataset_type_name);
CREATE INDEX dataset_fkidx_run_id ON dataset (run_id);
CREATE INDEX dataset_fkidx_quantum_id ON dataset (quantum_id);

CREATE TABLE dataset_composition (
	component_name VARCHAR(32) NOT NULL, 
	simple BOOLEAN, 
	parent_dataset_id BIGINT NOT NULL, 
	component_dataset_id BIGINT, 
	PRIMARY KEY (component_name, parent_dataset_id), 
	CONSTRAINT dataset_composition_len_component_name CHECK (length(component_name)<=32), 
	CHECK (simple IN (0, 1)), 
	CONSTRAINT fkey_dataset_composition_dataset_id_component_dataset_id FOREIGN KEY(component_dataset_id) REFERENCES dataset (id) ON DELETE CASCADE, 
	CONSTRAINT fkey_dataset_composition_dataset_id_parent_dataset_id FOREIGN KEY(parent_dataset_id) REFERENCES dataset (id) ON DELETE CASCADE
);
CREATE INDEX dataset_composition_fkidx_component_dataset_id ON dataset_composition (component_dataset_id);
CREATE INDEX dataset_composition_fkidx_parent_dataset_id ON dataset_composition (parent_dataset_id);

CREATE TABLE dataset_collection (
	dataset_id BIGINT NOT NULL, 
	dataset_ref_hash VARCHAR(44) NOT NULL, 
	collection_id INTEGER NOT NULL, 
	PRIMARY KEY (dataset_ref_hash, collection_id), 
	CONSTRAINT dataset_collection_len_dataset_ref_hash CHECK (length(dataset_ref_hash)<=44), 
	CONSTRAINT fkey_dataset_collection_collection_collection_id_collection_id FOREIGN KEY(collection_id) REFERENCES collection (collection_id) ON DELETE CASCADE, 
	CONSTRAINT fkey_dataset_collection_dataset_id_dataset_id FOREIGN KEY(dataset_id) REFERENCES dataset (id) ON DELETE CASCADE
);
CREATE INDEX dataset_collection_fkidx_collection_id ON dataset_collection (collection_id);
CREATE INDEX dataset_collection_fkidx_dataset_id ON dataset_collection (dataset_id);

CREATE TABLE dataset_consumers (
	quantum_id BIGINT NOT NULL, 
	dataset_id BIGINT NOT NULL, 
	actual BOOLEAN DEFAULT 1 NOT NULL, 
	PRIMARY KEY (quantum_id, dataset_id), 
	CHECK (actual IN (0, 1)), 
	CONSTRAINT fkey_dataset_consumers_dataset_id_dataset_id FOREIGN KEY(dataset_id) REFERENCES dataset (id) ON DELETE CASCADE, 
	CONSTRAINT fkey_dataset_consumers_quantum_id_quantum_id FOREIGN KEY(quantum_id) REFERENCES quantum (id) ON DELETE CASCADE
);
CREATE INDEX dataset_consumers_fkidx_dataset_id ON dataset_consumers (dataset_id);
CREATE INDEX dataset_consumers_fkidx_quantum_id ON dataset_consumers (quantum_id);

CREATE TABLE dataset_location (
	dataset_id BIGINT NOT NULL, 
	datastore_name VARCHAR(256) NOT NULL, 
	PRIMARY KEY (dataset_id, datastore_name), 
	CONSTRAINT dataset_location_len_datastore_name CHECK (length(datastore_name)<=256), 
	CONSTRAINT fkey_dataset_location_dataset_id_dataset_id FOREIGN KEY(dataset_id) REFERENCES dataset (id) ON DELETE CASCADE
);
CREATE INDEX dataset_location_fkidx_dataset_id ON dataset_location (dataset_id);

CREATE TABLE dataset_location_trash (
	dataset_id BIGINT NOT NULL, 
	datastore_name VARCHAR(256) NOT NULL, 
	PRIMARY KEY (dataset_id, datastore_name), 
	CONSTRAINT dataset_location_trash_len_datastore_name CHECK (length(datastore_name)<=256)
);

CREATE TABLE dataset_storage (
	dataset_id BIGINT NOT NULL, 
	path VARCHAR(256) NOT NULL, 
	formatter VARCHAR(128) NOT NULL, 
	storage_class VARCHAR(64) NOT NULL, 
	component VARCHAR(32), 
	checksum VARCHAR(128), 
	file_size BIGINT, 
	PRIMARY KEY (dataset_id), 
	CONSTRAINT dataset_storage_len_path CHECK (length(path)<=256), 
	CONSTRAINT dataset_storage_len_formatter CHECK (length(formatter)<=128), 
	CONSTRAINT dataset_storage_len_storage_class CHECK (length(storage_class)<=64), 
	CONSTRAINT dataset_storage_len_component CHECK (length(component)<=32), 
	CONSTRAINT dataset_storage_len_checksum CHECK (length(checksum)<=128), 
	CONSTRAINT fkey_dataset_storage_dataset_id_dataset_id FOREIGN KEY(dataset_id) REFERENCES dataset (id) ON DELETE CASCADE
);
CREATE INDEX dataset_storage_fkidx_dataset_id ON dataset_storage (dataset_id);
CREATE UNIQUE INDEX dataset_storage_idx_path ON dataset_storage (path);
INSERT INTO alembic_version VALUES ('w.2020.19');
INSERT INTO instrument VALUES ('HSC', 21474800, 21474800, 200, 'lsst.obs.subaru.HyperSuprimeCam');
INSERT INTO abstract_filter VALUES ('g'), ('r'), ('i');
INSERT INTO physical_filter VALUES ('HSC', 'HSC-G', 'g'), ('HSC', 'HSC-R', 'r'), ('HSC', 'HSC-I', 'i');
INSERT INTO detector VALUES ('HSC', 0, '1_53', '53', '1', 'SCIENCE'), ('HSC', 1, '1_54', '54', '1', 'SCIENCE'),
  ('HSC', 100, '0_30', '30', '0', 'SCIENCE');
INSERT INTO visit VALUES ('HSC', 903334, 'HSCA90333400', 'HSC-R', '2013-06-17 13:34:45.775000', '2013-06-17 13:35:17.947000', 30.0, 0.62, NULL),
  ('HSC', 903986, 'HSCA90398600', 'HSC-I', '2013-06-18 11:41:31.143000', '2013-06-18 11:42:03.371000', 30.0, 0.55, NULL);
INSERT INTO exposure VALUES ('HSC', 903334, 'HSCA90333400', 'HSC-R', 903334, '2013-06-17 13:34:45.775000', '2013-06-17 13:35:17.947000', 30.0, 30.0, 'science', 'HSCA90333400'),
  ('HSC', 903986, 'HSCA90398600', 'HSC-I', 903986, '2013-06-18 11:41:31.143000', '2013-06-18 11:42:03.371000', 30.0, 30.0, 'science', 'HSCA90398600');
INSERT INTO visit_detector_region VALUES ('HSC', 903334, 0, NULL), ('HSC', 903334, 1, NULL);
INSERT INTO calibration_label VALUES ('HSC', 'gen2/bias_2013-06-17', '2013-06-17 00:00:00', '2013-06-18 00:00:00');
INSERT INTO skymap VALUES ('discrete/ci_hsc', X'6d4a9c0f11', 0, 9, 9);
INSERT INTO tract VALUES ('discrete/ci_hsc', 0, 320.5, -0.5, NULL);
INSERT INTO patch VALUES ('discrete/ci_hsc', 0, 69, 6, 7, NULL);
INSERT INTO dataset_type VALUES ('raw', 'Exposure', 0), ('calexp', 'ExposureF', 0), ('bias', 'ExposureF', 0);
INSERT INTO dataset_type_dimensions VALUES ('raw', 'instrument'), ('raw', 'detector'), ('raw', 'exposure'),
  ('calexp', 'instrument'), ('calexp', 'detector'), ('calexp', 'visit');
INSERT INTO collection VALUES (1, 'raw/hsc', 1), (2, 'shared/ci_hsc_output', 1), (3, 'calib/hsc', 1);
INSERT INTO run VALUES (1, 'raw/hsc', '2020-05-04 10:00:00', '2020-05-04 10:05:00', 'lsst-dev01', NULL, NULL),
  (2, 'shared/ci_hsc_output', '2020-05-04 11:00:00', NULL, 'lsst-dev01', NULL, NULL),
  (3, 'calib/hsc', NULL, NULL, NULL, NULL, NULL);
INSERT INTO quantum VALUES (1, 'lsst.pipe.tasks.calibrate.CalibrateTask', 2, '2020-05-04 11:01:00', '2020-05-04 11:03:10', 'lsst-dev01');
INSERT INTO dataset (id, dataset_type_name, run_id, quantum_id, dataset_ref_hash, instrument, detector, exposure, physical_filter, ingest_date)
  VALUES (1, 'raw', 1, NULL, 'q0sBN2vd1mD7cZ+1YFkNoHTl3wZe4xM6Y0p2gQ+xq1E=', 'HSC', 0, 903334, 'HSC-R', '2020-05-04 10:01:00'),
         (2, 'raw', 1, NULL, 'T3kq9nW8jJ3m0cXzH7lNq3Zl1y8Y0pR2n6U5v4w3x2E=', 'HSC', 1, 903334, 'HSC-R', '2020-05-04 10:01:02');
INSERT INTO dataset (id, dataset_type_name, run_id, quantum_id, dataset_ref_hash, instrument, detector, visit, physical_filter, abstract_filter, ingest_date)
  VALUES (3, 'calexp', 2, 1, 'bQ1x0Xc3pJk9U3qH2s9fM4dY7aW1zV6nT8rE5yL0oK4=', 'HSC', 0, 903334, 'HSC-R', 'r', '2020-05-04 11:03:10'),
         (4, 'calexp', 2, 1, 'Zx9cV8bN7mA6sD5fG4hJ3kL2qW1eR0tY9uI8oP7aS6E=', 'HSC', 0, 903334, 'HSC-R', 'r', '2020-05-04 11:03:10'),
         (5, 'calexp', 2, 1, 'Pq1wE2rT3yU4iO5pA6sD7fG8hJ9kL0zX1cV2bN3mQ4E=', 'HSC', 0, 903334, 'HSC-R', 'r', '2020-05-04 11:03:10');
INSERT INTO dataset_composition VALUES ('wcs', 0, 3, 4), ('psf', 0, 3, 5), ('image', 1, 3, NULL);
INSERT INTO dataset_collection VALUES (1, 'q0sBN2vd1mD7cZ+1YFkNoHTl3wZe4xM6Y0p2gQ+xq1E=', 1),
  (2, 'T3kq9nW8jJ3m0cXzH7lNq3Zl1y8Y0pR2n6U5v4w3x2E=', 1), (3, 'bQ1x0Xc3pJk9U3qH2s9fM4dY7aW1zV6nT8rE5yL0oK4=', 2);
INSERT INTO dataset_consumers VALUES (1, 1, 1);
INSERT INTO dataset_location VALUES (1, 'PosixDatastore@<butlerRoot>'), (2, 'PosixDatastore@<butlerRoot>'),
  (3, 'PosixDatastore@<butlerRoot>');
INSERT INTO dataset_storage VALUES (1, 'raw/hsc/raw/r/HSC-R/903334/raw_HSC-R_903334_0_HSC_raw_hsc.fits', 'lsst.obs.base.fitsRawFormatterBase.FitsRawFormatterBase', 'Exposure', NULL, NULL, 18325440),
  (2, 'raw/hsc/raw/r/HSC-R/903334/raw_HSC-R_903334_1_HSC_raw_hsc.fits', 'lsst.obs.base.fitsRawFormatterBase.FitsRawFormatterBase', 'Exposure', NULL, NULL, 18325440),
  (3, 'shared/ci_hsc_output/calexp/r/HSC-R/903334/calexp_HSC-R_903334_0_HSC_shared_ci_hsc_output.fits', 'lsst.obs.base.fitsExposureFormatter.FitsExposureFormatter', 'ExposureF', NULL, NULL, 103680000);

COMMIT;
