-- Benchmark data: :jobs jobs with realistic names, statuses, users and command-line jobs,
-- :chunks console-output lines (64 bytes each) per job, and one job with :big lines of
-- output. Run as the superuser on a freshly migrated database:
--
--   psql -v jobs=1000000 -v chunks=9 -v big=1000000 -f tests/bench/gen.sql
--
-- The jobs table's statement-level triggers keep job_counts and send NOTIFY; a bulk load
-- through them costs a million-row transition table and a GROUP BY for nothing, and the
-- per-row output trigger would queue ten million notifications. So the load runs with
-- triggers off (session_replication_role = replica, which also skips the foreign-key
-- checks the generator satisfies by construction) and the counters are rebuilt from the
-- table afterwards, in one GROUP BY.
--
-- Layout (i = 1 .. :jobs, created one every 63 s over two years, oldest first):
--   user       i % 10: 0 command line, 1 admin, 2 alice, 3 bob, 4 carol, else one of 24 others
--   status     the newest 0.2% Running (carol's never: she owns exactly :jobs/10 inactive
--              jobs, the clear benchmark); 5% Error, by a hash of i; the rest Completed
--   name       one of ten AtoM job kinds, by another hash of i
--   job :jobs  "Bench marker", Running, admin's: the dashboard's first row
--   job :jobs-1 the big-output job (:big lines), Completed, admin's

\set ON_ERROR_STOP 1
SET search_path = jobdeck, pg_catalog;
SET client_min_messages = warning;

\ir ../../db/demo_users.sql
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'carol') THEN
		CREATE ROLE carol LOGIN;
	END IF;
	GRANT jobdeck_user TO carol;
END
$$;

BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE job_output, jobs, job_counts RESTART IDENTITY CASCADE;

INSERT INTO jobs (id, name, type, status, username, params, info, download_path, download_size,
                  created_at, queued_at, started_at, heartbeat_at, completed_at, worker, attempts,
                  output_bytes, output_lines)
SELECT i, k.name, k.type, g.status, g.username,
       jsonb_build_object('record', 'ACC-' || lpad((i % 50000)::text, 5, '0')),
       CASE g.status
         WHEN 'Running'   THEN ARRAY['Started on worker-' || (i % 4 + 1)]
         WHEN 'Error'     THEN ARRAY['Failed: record ACC-' || lpad((i % 50000)::text, 5, '0')
                                     || ' not found', 'Exit status 1']
         ELSE CASE k.type
                WHEN 'finding_aid' THEN ARRAY['Finding aid generated: fonds-' || i || '.pdf']
                WHEN 'import_csv'  THEN ARRAY['Imported ' || (i % 900 + 1) || ' records, skipped '
                                              || (i % 7)]
                WHEN 'export_csv'  THEN ARRAY['Exported ' || (i % 5000 + 1) || ' descriptions']
                ELSE ARRAY[]::text[]
              END
       END,
       CASE WHEN k.type = 'finding_aid' AND g.status = 'Completed'
            THEN '/var/lib/jobdeck/downloads/fonds-' || i || '.pdf' END,
       CASE WHEN k.type = 'finding_aid' AND g.status = 'Completed' THEN 40000 + i % 90000 END,
       g.created, g.created, g.created + interval '1 second', g.created + interval '2 seconds',
       CASE WHEN g.status <> 'Running' THEN g.created + (2 + i % 600) * interval '1 second' END,
       'worker-' || (i % 4 + 1), 1,
       CASE WHEN i = :jobs - 1 THEN :big ELSE :chunks END * 64,
       CASE WHEN i = :jobs - 1 THEN :big ELSE :chunks END
  FROM generate_series(1, :jobs) i
  CROSS JOIN LATERAL (
	SELECT now() - (:jobs - i) * interval '63 seconds' AS created,
	       CASE i % 10 WHEN 0 THEN NULL WHEN 1 THEN 'admin' WHEN 2 THEN 'alice'
	                   WHEN 3 THEN 'bob' WHEN 4 THEN 'carol'
	                   ELSE (ARRAY['amira', 'bruno', 'chen', 'dana', 'emeka', 'farah', 'goran',
	                               'hana', 'ivan', 'jonas', 'kofi', 'lena', 'mateo', 'nadia',
	                               'oscar', 'priya', 'quinn', 'rosa', 'sven', 'tariq', 'uma',
	                               'vera', 'wei', 'yusuf'])[1 + (i / 10) % 24]
	       END AS username,
	       CASE WHEN i % 10 <> 4 AND i > :jobs - greatest(:jobs / 500, 1) THEN 'Running'
	            WHEN (hashint4(i) & 2147483647) % 100 < 5 THEN 'Error'
	            ELSE 'Completed' END::job_status AS status
  ) g
  CROSS JOIN LATERAL (SELECT 1 + (hashint8(i) & 2147483647) % 10 AS n) h
  CROSS JOIN LATERAL (
	SELECT (ARRAY['Generate finding aid', 'Import CSV', 'Import XML', 'Export CSV',
	              'Update publication status', 'Inherit PREMIS rights', 'Move description',
	              'Generate report', 'sleep', 'php symfony search:populate'])[h.n] AS name,
	       (ARRAY['finding_aid', 'import_csv', 'import_xml', 'export_csv', 'publication_status',
	              'rights_inheritance', 'move', 'report', 'sleep', 'command'])[h.n] AS type
  ) k;

-- The dashboard's first row, and the job whose output is ten per cent of all output rows.
UPDATE jobs SET name = 'Bench marker', type = 'sleep', status = 'Running', username = 'admin',
       completed_at = NULL, info = ARRAY['Started on worker-1'], download_path = NULL,
       download_size = NULL
 WHERE id = :jobs;
UPDATE jobs SET name = 'Import CSV', type = 'import_csv', status = 'Completed', username = 'admin',
       completed_at = created_at + interval '3 hours',
       info = ARRAY['Imported ' || :big || ' records, skipped 12'], download_path = NULL,
       download_size = NULL
 WHERE id = :jobs - 1;
SELECT setval('jobs_id_seq', :jobs);

-- Output lines, 63 characters and a newline each, so offsets are k * 64 and k lines come
-- before chunk k (as a worker would have counted them).
INSERT INTO job_output (job_id, offset_, at, data, line_at)
SELECT j.id, k * 64, j.created_at + interval '2 seconds',
       convert_to(rpad(format('step %s/%s: %s record ACC-%s', k + 1, :chunks,
                              CASE WHEN k % 3 = 0 THEN 'reading' WHEN k % 3 = 1 THEN 'checking'
                                   ELSE 'writing' END,
                              lpad((j.id % 50000)::text, 5, '0')), 63) || E'\n', 'UTF8'), k
  FROM jobs j CROSS JOIN generate_series(0, :chunks - 1) k
 WHERE j.id <> :jobs - 1;

INSERT INTO job_output (job_id, offset_, at, data, line_at)
SELECT j.id, k * 64, j.created_at + k * interval '10 milliseconds',
       convert_to(rpad(format('row %s: imported description ACC-%s "%s"', k + 1,
                              lpad((k % 50000)::text, 5, '0'),
                              (ARRAY['Annual report', 'Letter book', 'Tide tables',
                                     'Board minutes'])[1 + k % 4]), 63) || E'\n', 'UTF8'), k
  FROM jobs j CROSS JOIN generate_series(0, :big - 1) k
 WHERE j.id = :jobs - 1;

-- The counters, as the triggers would have kept them.
INSERT INTO job_counts (username, status, n)
SELECT username, status, count(*) FROM jobs GROUP BY 1, 2;
COMMIT;

VACUUM (ANALYZE) jobs;
VACUUM (ANALYZE) job_output;
VACUUM (ANALYZE) job_counts;
CHECKPOINT;
