CREATE TYPE z_unit AS ENUM ('kg', 'g');
CREATE DOMAIN z_positive AS int CHECK (VALUE > 0);
CREATE DOMAIN b_small AS z_positive CHECK (VALUE < 100);
CREATE TYPE a_measure AS (amount b_small, unit z_unit);
CREATE TABLE t (id int PRIMARY KEY, weight a_measure, weights a_measure[]);
