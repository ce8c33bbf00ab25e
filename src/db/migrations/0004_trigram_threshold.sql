-- Name search forgives a transposed or missing letter: the default word-similarity
-- threshold (0.6) misses "Exampelton" for "Exampleton" (0.47). Results are still
-- ranked by closeness, so looser matching only adds candidates below the good ones.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET pg_trgm.word_similarity_threshold = 0.35', current_database());
END $$;
SET pg_trgm.word_similarity_threshold = 0.35;
