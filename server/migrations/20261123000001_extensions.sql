-- ltree indexes organization subtrees; pg_trgm serves search by name in Chinese.
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
