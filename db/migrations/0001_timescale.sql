-- Hand-written: what Drizzle cannot say. It detects TimescaleDB and builds the time-series
-- objects with it, or the same relations (same names, same columns) without it, so the
-- application reads `price_snapshot` and `price_daily` the same way on every engine.
--
-- The migration runner executes this inside the migration transaction. The continuous
-- aggregate is therefore created WITH NO DATA; the runner refreshes it after the commit.

-- 1. Use TimescaleDB when the server offers it. A server that lists the extension but does not
--    load it (not in shared_preload_libraries) falls back to plain PostgreSQL: there CREATE
--    EXTENSION ends the connection with a FATAL that no exception handler catches, so ask first.
--    `timescaledb.disable_load` exists only where TimescaleDB's loader is loaded. Any other
--    failure to enable it (no privilege) falls back too.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    IF current_setting('timescaledb.disable_load', true) IS NULL THEN
      RAISE NOTICE 'TimescaleDB is installed but not preloaded (shared_preload_libraries): using plain PostgreSQL relations';
    ELSE
      BEGIN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
      EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'TimescaleDB is installed but cannot be enabled (%): using plain PostgreSQL relations', SQLERRM;
      END;
    END IF;
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
      -- The primary key's other columns close the order (see 0003, which sets this on databases
      -- migrated before): TimescaleDB checks a write's conflicts with compressed rows through them.
      timescaledb.compress_orderby = 'departure_date, observed_at DESC, query_id, provider, itinerary_key'
    );
    PERFORM add_compression_policy('price_snapshot', INTERVAL '7 days', if_not_exists => true);
  ELSE
    CREATE INDEX IF NOT EXISTS price_snapshot_observed_at_idx ON price_snapshot (observed_at DESC);
  END IF;
END
$$;
--> statement-breakpoint

-- 3. price_daily: per UTC day of observation, route, dates, cabin and currency, the min / avg /
--    max price per adult and the sample count. With TimescaleDB, a real-time continuous
--    aggregate refreshed by policy. Without it, the same thing by hand: a rollup table that
--    statement-level triggers keep current on every write (incrementally on INSERT; recomputed
--    for the affected groups on DELETE and UPDATE), and a view with the same columns over it.
--    Reads then never re-aggregate the raw snapshots.
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
    CREATE TABLE price_daily_rollup (
      day timestamptz NOT NULL,
      origin text NOT NULL,
      destination text NOT NULL,
      departure_date date NOT NULL,
      return_date date,
      cabin cabin NOT NULL,
      currency text NOT NULL,
      min_price_minor bigint NOT NULL,
      sum_price_minor numeric NOT NULL,
      max_price_minor bigint NOT NULL,
      sample_count bigint NOT NULL,
      CONSTRAINT price_daily_rollup_key UNIQUE NULLS NOT DISTINCT
        (origin, destination, day, departure_date, return_date, cabin, currency)
    );

    -- New snapshots: fold each statement's rows into their groups. Groups are upserted in key
    -- order, so concurrent writers lock rollup rows in the same order and cannot deadlock.
    CREATE FUNCTION price_daily_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO price_daily_rollup AS r
        (day, origin, destination, departure_date, return_date, cabin, currency,
         min_price_minor, sum_price_minor, max_price_minor, sample_count)
      SELECT date_trunc('day', observed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
             origin, destination, departure_date, return_date, cabin, currency,
             min(price_per_adult_minor), sum(price_per_adult_minor), max(price_per_adult_minor), count(*)
      FROM changed_rows
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      ORDER BY 2, 3, 1, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT price_daily_rollup_key DO UPDATE SET
        min_price_minor = least(r.min_price_minor, excluded.min_price_minor),
        sum_price_minor = r.sum_price_minor + excluded.sum_price_minor,
        max_price_minor = greatest(r.max_price_minor, excluded.max_price_minor),
        sample_count = r.sample_count + excluded.sample_count;
      RETURN NULL;
    END
    $fn$;

    -- Removed or changed snapshots: a minimum cannot be taken back, so recompute the groups
    -- they belonged to from what is left, and drop the groups left empty.
    CREATE FUNCTION price_daily_rollup_recompute() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      DELETE FROM price_daily_rollup r
      USING (
        SELECT DISTINCT date_trunc('day', observed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
               origin, destination, departure_date, return_date, cabin, currency
        FROM changed_rows
      ) a
      WHERE r.origin = a.origin AND r.destination = a.destination AND r.day = a.day
        AND r.departure_date = a.departure_date AND r.return_date IS NOT DISTINCT FROM a.return_date
        AND r.cabin = a.cabin AND r.currency = a.currency;

      INSERT INTO price_daily_rollup
        (day, origin, destination, departure_date, return_date, cabin, currency,
         min_price_minor, sum_price_minor, max_price_minor, sample_count)
      SELECT a.day, a.origin, a.destination, a.departure_date, a.return_date, a.cabin, a.currency,
             min(s.price_per_adult_minor), sum(s.price_per_adult_minor), max(s.price_per_adult_minor), count(*)
      FROM (
        SELECT DISTINCT date_trunc('day', observed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
               origin, destination, departure_date, return_date, cabin, currency
        FROM changed_rows
      ) a
      JOIN price_snapshot s
        ON s.origin = a.origin AND s.destination = a.destination AND s.departure_date = a.departure_date
       AND s.observed_at >= a.day AND s.observed_at < a.day + INTERVAL '1 day'
       AND s.return_date IS NOT DISTINCT FROM a.return_date AND s.cabin = a.cabin AND s.currency = a.currency
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      ORDER BY 2, 3, 1, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT price_daily_rollup_key DO UPDATE SET
        min_price_minor = excluded.min_price_minor,
        sum_price_minor = excluded.sum_price_minor,
        max_price_minor = excluded.max_price_minor,
        sample_count = excluded.sample_count;
      RETURN NULL;
    END
    $fn$;

    CREATE FUNCTION price_daily_rollup_clear() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      TRUNCATE price_daily_rollup;
      RETURN NULL;
    END
    $fn$;

    CREATE TRIGGER price_snapshot_rollup_insert AFTER INSERT ON price_snapshot
      REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION price_daily_rollup_add();
    CREATE TRIGGER price_snapshot_rollup_delete AFTER DELETE ON price_snapshot
      REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION price_daily_rollup_recompute();
    CREATE TRIGGER price_snapshot_rollup_update_old AFTER UPDATE ON price_snapshot
      REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION price_daily_rollup_recompute();
    CREATE TRIGGER price_snapshot_rollup_update_new AFTER UPDATE ON price_snapshot
      REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION price_daily_rollup_recompute();
    CREATE TRIGGER price_snapshot_rollup_truncate AFTER TRUNCATE ON price_snapshot
      FOR EACH STATEMENT EXECUTE FUNCTION price_daily_rollup_clear();

    -- No backfill: price_snapshot is created empty by 0000_init, in the same migration run.
    CREATE VIEW price_daily AS
    SELECT day, origin, destination, departure_date, return_date, cabin, currency,
           min_price_minor,
           sum_price_minor / sample_count AS avg_price_minor,
           max_price_minor,
           sample_count
    FROM price_daily_rollup;
  END IF;
END
$$;
