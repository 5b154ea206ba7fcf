-- Hand-written: what Drizzle cannot say. It detects TimescaleDB and builds the time-series
-- objects with it, or the same relations (same names, same columns) without it, so the
-- application reads `price_snapshot` and `price_daily` the same way on every engine.
--
-- The migration runner executes this inside the migration transaction. The continuous
-- aggregate is therefore created WITH NO DATA; the runner refreshes it after the commit.

-- 1. Use TimescaleDB when the server offers it. A server that lists the extension but cannot
--    load it (not in shared_preload_libraries, no privilege) falls back to plain PostgreSQL.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'TimescaleDB is installed but cannot be enabled (%): using plain PostgreSQL relations', SQLERRM;
    END;
  END IF;
END
$$;
--> statement-breakpoint

-- 2. price_snapshot: a hypertable on observed_at (7-day chunks), compressed after 7 days and
--    segmented by route; or a plain table with the same time index.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    -- The classic signature works on every TimescaleDB 2.x, managed services included.
    PERFORM create_hypertable('price_snapshot', 'observed_at',
      chunk_time_interval => INTERVAL '7 days', migrate_data => true);
    ALTER TABLE price_snapshot SET (
      timescaledb.compress,
      timescaledb.compress_segmentby = 'origin, destination',
      timescaledb.compress_orderby = 'departure_date, observed_at DESC'
    );
    PERFORM add_compression_policy('price_snapshot', INTERVAL '7 days', if_not_exists => true);
  ELSE
    CREATE INDEX IF NOT EXISTS price_snapshot_observed_at_idx ON price_snapshot (observed_at DESC);
  END IF;
END
$$;
--> statement-breakpoint

-- 3. price_daily: per UTC day of observation, route, dates, cabin and currency, the min / avg /
--    max price per adult and the sample count. A real-time continuous aggregate refreshed by
--    policy, or a plain view computing the same columns from the snapshots.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE $view$
      CREATE MATERIALIZED VIEW price_daily
      WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT
        time_bucket(INTERVAL '1 day', observed_at) AS day,
        origin,
        destination,
        departure_date,
        return_date,
        cabin,
        currency,
        min(price_per_adult_minor) AS min_price_minor,
        avg(price_per_adult_minor) AS avg_price_minor,
        max(price_per_adult_minor) AS max_price_minor,
        count(*) AS sample_count
      FROM price_snapshot
      GROUP BY 1, origin, destination, departure_date, return_date, cabin, currency
      WITH NO DATA
    $view$;
    PERFORM add_continuous_aggregate_policy('price_daily',
      start_offset => INTERVAL '7 days',
      end_offset => INTERVAL '1 hour',
      schedule_interval => INTERVAL '30 minutes',
      if_not_exists => true);
    CREATE INDEX price_daily_route_idx ON price_daily (origin, destination, departure_date, day);
  ELSE
    EXECUTE $view$
      CREATE VIEW price_daily AS
      SELECT
        (date_trunc('day', observed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS day,
        origin,
        destination,
        departure_date,
        return_date,
        cabin,
        currency,
        min(price_per_adult_minor) AS min_price_minor,
        avg(price_per_adult_minor) AS avg_price_minor,
        max(price_per_adult_minor) AS max_price_minor,
        count(*) AS sample_count
      FROM price_snapshot
      GROUP BY 1, origin, destination, departure_date, return_date, cabin, currency
    $view$;
  END IF;
END
$$;
