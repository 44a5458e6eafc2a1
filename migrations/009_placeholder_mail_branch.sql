-- PLACEHOLDER, branch `mail` only: migration 009 belongs to another branch, and tern wants
-- the numbers without a gap, so this empty step stands in for it until that branch lands.
-- On merge, delete this file (the real 009 takes its place).
SELECT 1;

---- create above / drop below ----

SELECT 1;
