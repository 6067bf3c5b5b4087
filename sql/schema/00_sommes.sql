-- An exact sum of fractions (ETP, hours): added as decimals (10 places), not as floating-point
-- numbers, whose sum depends on the order DuckDB reads the rows in (0.1 + 0.2 + 0.3 =
-- 0.6000000000000001, 0.3 + 0.1 + 0.2 = 0.6). A rate on the edge of its rounding (3.95 ETP for
-- 20 posts: 19,75 %) then prints the same, 19,8 %, in every run of the same data.
CREATE OR REPLACE MACRO somme_exacte(x) AS CAST(sum(CAST(x AS DECIMAL(38, 10))) AS DOUBLE);
