CREATE TABLE users (
    id INTEGER NOT NULL,
    name VARCHAR(64) NOT NULL,
    email VARCHAR(128),
    PRIMARY KEY (id)
);
CREATE TABLE department (
    id INTEGER NOT NULL,
    name VARCHAR(64) NOT NULL,
    head_id INTEGER,
    PRIMARY KEY (id)
);
CREATE TABLE employee (
    id INTEGER NOT NULL,
    name VARCHAR(64) NOT NULL,
    department_id INTEGER,
    PRIMARY KEY (id),
    CONSTRAINT fk_employee_department_id_department FOREIGN KEY(department_id) REFERENCES department (id) ON DELETE CASCADE
);
ALTER TABLE department ADD CONSTRAINT fk_department_head_id_employee FOREIGN KEY(head_id) REFERENCES employee (id) ON DELETE SET NULL;
