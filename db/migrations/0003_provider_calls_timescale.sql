-- Hand-written, after 0002 (which adds price_snapshot.simulated and the provider_call table).

-- 1. The simulated flag of snapshots written before it existed. Until now the CSV export
--    guessed it from the simulated market's seller ids, so old rows keep that answer. (Duffel
--    test-mode prices written before the flag cannot be told apart and stay false.)
--    On TimescaleDB the rows of compressed chunks are unpacked to be updated; `provider` is not
--    a segment-by column, so every compressed row is, and the default limit of 100,000 per
--    transaction (timescaledb.max_tuples_decompressed_per_dml_transaction) would stop the
--    migration on a database with some history. It is lifted for this statement only; the
--    compression policy packs the chunks again on its next run.
DO $$
DECLARE
  limit_name constant text := 'timescaledb.max_tuples_decompressed_per_dml_transaction';
  -- NULL without TimescaleDB, or on a version without the setting.
  old_limit text := CASE WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN current_setting(limit_name, true) END;
BEGIN
  IF old_limit IS NOT NULL THEN PERFORM set_config(limit_name, '0', true); END IF;
  UPDATE price_snapshot SET simulated = true WHERE provider IN ('skyway', 'farefinder') AND NOT simulated;
  IF old_limit IS NOT NULL THEN PERFORM set_config(limit_name, old_limit, true); END IF;
END
$$;
--> statement-breakpoint

-- 2. provider_call: a hypertable on observed_at (7-day chunks), compressed after 7 days and
--    segmented by provider (the admin console reads it per provider over time), ordered by time
--    then query_id, so that every column of the primary key is a segment-by or order-by column
--    (TimescaleDB checks a write's conflicts with compressed rows through them). Without
--    TimescaleDB a plain table, which 0002's (provider, observed_at) index serves.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    PERFORM create_hypertable('provider_call', 'observed_at',
      chunk_time_interval => INTERVAL '7 days', migrate_data => true);
    ALTER TABLE provider_call SET (
      timescaledb.compress,
      timescaledb.compress_segmentby = 'provider',
      timescaledb.compress_orderby = 'observed_at DESC, query_id'
    );
    PERFORM add_compression_policy('provider_call', INTERVAL '7 days', if_not_exists => true);
  END IF;
END
$$;
--> statement-breakpoint

-- 3. price_snapshot keeps its segments by route (origin, destination: what the CSV export and the
--    history read) and its order by departure date and observation time; the rest of its primary
--    key (query_id, provider, itinerary_key) is appended to the order as tie-breakers. Without them
--    TimescaleDB warns on every migration, and a write that lands in a compressed chunk (a backfill,
--    a late observation) has to decompress whole segments to check for a conflicting row. Chunks
--    compressed before keep their order until the policy recompresses them.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    ALTER TABLE price_snapshot SET (
      timescaledb.compress_orderby = 'departure_date, observed_at DESC, query_id, provider, itinerary_key'
    );
  END IF;
END
$$;
