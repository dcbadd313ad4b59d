-- Deterministic jobs for the screen tests: fixed times, every status, a record, a download,
-- command-line jobs and console output.
SET search_path = jobdeck, pg_catalog;
INSERT INTO records (id, identifier, title, level, publication_status) VALUES
	(1, 'F-001', 'Harbour Commission fonds', 'Fonds', 'Published'),
	(2, 'F-002', 'Marguerite Lévesque fonds', 'Fonds', 'Draft');
INSERT INTO jobs (id, name, type, status, username, object_id, info, download_path, download_size,
                  created_at, started_at, completed_at, worker, attempts) VALUES
	(1, 'Import CSV', 'csv-import', 'Completed', 'alice', NULL, '{"Imported 41 records, skipped 1"}', NULL, NULL,
	 '2026-03-01 08:00:00+00', '2026-03-01 08:00:05+00', '2026-03-01 08:01:10+00', 'w1', 1),
	(2, 'Export CSV', 'csv-export', 'Error', 'bob', NULL, '{"Failed: disk full"}', NULL, NULL,
	 '2026-03-01 08:10:00+00', '2026-03-01 08:10:02+00', '2026-03-01 08:10:30+00', 'w2', 3),
	(3, 'Update publication status', 'publication-status', 'Completed', NULL, 1, '{"Set 4 descriptions to Published"}', NULL, NULL,
	 '2026-03-01 08:20:00+00', '2026-03-01 08:20:01+00', '2026-03-01 08:20:09+00', 'w1', 1),
	(4, 'Generate finding aid', 'finding-aid', 'Completed', 'admin', 2, '{"Finding aid ready"}', '/srv/jobdeck/F-002.rtf', 28500,
	 '2026-03-01 08:30:00+00', '2026-03-01 08:30:03+00', '2026-03-01 08:32:40+00', 'w2', 1),
	(5, 'Move description', 'move', 'Error', 'alice', 1, '{"Failed: target is inside the record","Retried twice"}', NULL, NULL,
	 '2026-03-01 08:40:00+00', '2026-03-01 08:40:01+00', '2026-03-01 08:40:04+00', 'w1', 3),
	(6, 'Rebuild search index', 'sleep', 'Running', 'admin', NULL, '{}', NULL, NULL,
	 '2026-03-01 09:00:00+00', '2026-03-01 09:00:02+00', NULL, 'w2', 1),
	(7, 'Publish series', 'publication-status', 'Running', NULL, NULL, '{"Waiting for a worker"}', NULL, NULL,
	 '2026-03-01 09:10:00+00', NULL, NULL, NULL, 0),
	(8, 'Import CSV', 'csv-import', 'Completed', 'alice', NULL, '{"Imported 7 records"}', NULL, NULL,
	 '2026-03-01 09:20:00+00', '2026-03-01 09:20:01+00', '2026-03-01 09:20:30+00', 'w1', 1);
SELECT setval('jobs_id_seq', 100);
SELECT setval('records_id_seq', 10);
INSERT INTO job_output (job_id, offset_, at, data)
SELECT id, 0, started_at, convert_to(
	'[' || to_char(started_at, 'HH24:MI:SS') || '] Job started: ' || name || E'\n' ||
	CASE status WHEN 'Error' THEN E'Working\nERROR: ' || info[1] || E'\n'
	            WHEN 'Running' THEN E'Step 1 of 3\nStep 2 of 3\n'
	            ELSE E'Working\n[' || to_char(completed_at, 'HH24:MI:SS') || E'] Job finished\n' END, 'UTF8')
  FROM jobs WHERE started_at IS NOT NULL;
UPDATE jobs j SET output_bytes = o.n FROM (SELECT job_id, sum(length(data)) n FROM job_output GROUP BY 1) o
 WHERE o.job_id = j.id;
