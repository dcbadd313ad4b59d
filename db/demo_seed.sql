-- Demonstration data for `jobdeck demo-seed`: users, an archival hierarchy and a few hundred
-- past jobs with their console output. Replaces whatever demo data was there.
SET search_path = jobdeck, pg_catalog;

-- The users come first, from db/demo_users.sql (joined to this file at build time).

BEGIN;
TRUNCATE job_output, job_input, job_file, jobs, job_counts, records RESTART IDENTITY CASCADE;

-- An archival hierarchy: two fonds, their series and files.
INSERT INTO records (parent_id, identifier, title, level, publication_status) VALUES
	(NULL, 'F-001', 'Harbour Commission fonds', 'Fonds', 'Published'),
	(NULL, 'F-002', 'Marguerite Lévesque fonds', 'Fonds', 'Draft');
INSERT INTO records (parent_id, identifier, title, level, publication_status)
SELECT f.id, f.identifier || '-S' || t.num, t.title, 'Series', 'Draft'
  FROM records f,
       (VALUES (1, 'Minutes and correspondence'), (2, 'Maps and plans'), (3, 'Photographs')) t(num, title)
 WHERE f.parent_id IS NULL;
INSERT INTO records (parent_id, identifier, title, level, publication_status)
SELECT s.id, s.identifier || '-' || lpad(n::text, 3, '0'),
       (ARRAY['Annual report', 'Letter book', 'Survey of the east quay', 'Dredging contract',
              'Glass plate negatives', 'Board minutes', 'Tide tables', 'Field notebook'])[1 + n % 8]
       || ', ' || (1890 + n * 3)::text,
       'File', CASE WHEN n % 3 = 0 THEN 'Published' ELSE 'Draft' END
  FROM records s, generate_series(1, 8) n
 WHERE s.level = 'Series';

-- Past jobs over the last thirty days, in every status, for three users and the command line.
WITH kinds(k, name, type) AS (VALUES
	(0, 'Generate finding aid', 'finding-aid'),
	(1, 'Import CSV', 'csv-import'),
	(2, 'Export CSV', 'csv-export'),
	(3, 'Update publication status', 'publication-status'),
	(4, 'Move description', 'move'),
	(5, 'Inherit PREMIS rights', 'command'),
	(6, 'Rebuild search index', 'command'),
	(7, 'Generate report', 'command')),
g AS (
	SELECT n,
	       (SELECT id FROM records WHERE level = 'File' ORDER BY id OFFSET (n * 7) % 48 LIMIT 1) AS rec,
	       now() - make_interval(mins => n * 131 % 43000) - make_interval(secs => n % 60) AS t0,
	       n % 8 AS k,
	       CASE WHEN n % 11 = 0 THEN 'Error' ELSE 'Completed' END::job_status AS st,
	       (ARRAY['admin', 'alice', 'bob', NULL, 'alice', 'bob', 'admin', 'alice'])[1 + n % 8] AS who,
	       5 + n * 37 % 900 AS secs
	  FROM generate_series(1, 320) n)
INSERT INTO jobs (name, type, status, username, object_id, params, info, download_path, download_size,
                  created_at, queued_at, started_at, completed_at, heartbeat_at, worker, attempts)
SELECT k.name, k.type, g.st, g.who,
       CASE WHEN k.type IN ('finding-aid', 'csv-export', 'publication-status', 'move') THEN g.rec END,
       CASE k.type WHEN 'command' THEN jsonb_build_object('task', lower(replace(k.name, ' ', '-')))
                   ELSE '{}'::jsonb END,
       CASE WHEN g.st = 'Error' THEN
                ARRAY[CASE WHEN g.n % 4 = 0 THEN 'Failed: worker worker@archive-2 lost (last heard from at '
                                                 || to_char(g.t0 + interval '40 seconds', 'HH24:MI:SS') || ')'
                           ELSE CASE k.type
                                WHEN 'csv-import' THEN 'Failed: malformed CSV at line 212: unterminated quoted field'
                                WHEN 'move' THEN 'Failed: cannot move a description under its own descendant'
                                WHEN 'command' THEN 'Failed: exit status 2'
                                WHEN 'finding-aid' THEN 'Failed: record has no title'
                                ELSE 'Failed: record not found' END END]
            WHEN k.type = 'csv-import' THEN ARRAY['Imported ' || (40 + g.n % 200) || ' records, skipped ' || g.n % 7]
            WHEN k.type = 'publication-status' THEN ARRAY['Set ' || (1 + g.n % 30) || ' descriptions to Published']
            WHEN k.type = 'move' THEN ARRAY['Moved under ' || 'F-001-S' || (1 + g.n % 3)]
            WHEN k.type IN ('finding-aid', 'csv-export') THEN ARRAY['Generated ' || CASE k.type WHEN 'finding-aid' THEN 'finding aid' ELSE 'CSV export' END]
            ELSE ARRAY['Completed in ' || g.secs || ' s'] END,
       CASE WHEN g.st = 'Completed' AND k.type = 'finding-aid' THEN '/var/lib/jobdeck/downloads/finding-aid-' || g.n || '.rtf'
            WHEN g.st = 'Completed' AND k.type = 'csv-export' THEN '/var/lib/jobdeck/downloads/export-' || g.n || '.csv' END,
       CASE WHEN g.st = 'Completed' AND k.type IN ('finding-aid', 'csv-export') THEN 2000 + g.n * 977 % 90000 END,
       g.t0, g.t0, g.t0 + interval '1 second', g.t0 + make_interval(secs => g.secs), g.t0 + make_interval(secs => g.secs),
       'worker@archive-' || (1 + g.n % 2), 1 + (g.st = 'Error' AND g.n % 2 = 0)::int
  FROM g JOIN kinds k ON k.k = g.k;

-- Console output: a few lines per job, the failures with their reason.
INSERT INTO job_output (job_id, offset_, at, data)
SELECT j.id, 0, j.started_at, convert_to(
	'[' || to_char(j.started_at, 'HH24:MI:SS') || '] Job started: ' || j.name || E'\n' ||
	CASE j.type
	WHEN 'csv-import' THEN
		string_agg('Imported ' || lpad(s::text, 4, '0') || ' "' || (ARRAY['Letter', 'Map', 'Photograph', 'Minute book'])[1 + s % 4] || E'"\n', '')
		|| 'Skipped (identifier already exists): F-001-S1-00' || (j.id % 9) || E'\n'
	WHEN 'finding-aid' THEN
		string_agg('Adding level ' || s || E' descriptions\n', '') || E'Writing RTF document\n'
	ELSE
		string_agg('Step ' || s || E' of 6 done\n', '')
	END ||
	CASE j.status WHEN 'Error' THEN 'ERROR: ' || substr(j.info[1], 9) || E'\n'
	              ELSE '[' || to_char(j.completed_at, 'HH24:MI:SS') || E'] Job finished\n' END, 'UTF8')
  FROM jobs j, generate_series(1, 6) s
 GROUP BY j.id;
UPDATE jobs j SET output_bytes = o.n FROM (SELECT job_id, sum(length(data)) n FROM job_output GROUP BY 1) o
 WHERE o.job_id = j.id;

-- The files the finding aids and exports produced, stored as a worker stores them (db/054),
-- so `jobdeck download` and the dashboard's d work on the demo too.
UPDATE jobs SET download_path = CASE type WHEN 'finding-aid' THEN 'finding-aid-' || id || '.rtf'
                                          ELSE 'export-' || id || '.csv' END,
       file_bytes = download_size
 WHERE download_path IS NOT NULL;
INSERT INTO job_file (job_id, seq, data)
SELECT id, 0, substring(convert_to(repeat(CASE type WHEN 'csv-export' THEN E'F-001-S1-001,"Annual report, 1893",File,Draft\r\n'
                                                    ELSE E'{\\pard Demonstration finding aid\\par}\n' END,
                                          (download_size / 20 + 1)::integer), 'UTF8') FROM 1 FOR download_size::integer)
  FROM jobs WHERE file_bytes IS NOT NULL;

-- Make the sequences continue after the seed's ids.
SELECT setval('jobs_id_seq', (SELECT max(id) FROM jobs));
COMMIT;
