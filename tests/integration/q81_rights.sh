# Rights statements (db/060) end to end: users read them and write none, workers write them;
# csv-import sets them from optional columns; rights-inherit copies a record's statements to
# its descendants (replace or add), in batches reported as it goes, all or nothing: a failure
# or a cancel part way changes nothing.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q81 || exit 1

sql "INSERT INTO jobdeck.records (id, parent_id, identifier, title, level) VALUES
	(1, NULL, 'F-1', 'Harbour fonds', 'Fonds'),
	(2, 1, 'F-1-S1', 'Minutes', 'Series'),
	(3, 2, 'F-1-S1-001', 'Minute book', 'File'),
	(4, 1, 'F-1-S2', 'Plans', 'Series'),
	(5, NULL, 'BIG', 'A large tree', 'Fonds'),
	(6, NULL, 'BARE', 'No rights', 'Fonds'),
	(7, 6, 'BARE-1', 'Child', 'File');
	SELECT setval('jobdeck.records_id_seq', 100);
	INSERT INTO jobdeck.records (parent_id, identifier, title, level)
	     SELECT 5, 'BIG-' || n, 'File ' || n, 'File' FROM generate_series(1, 6000) n" >/dev/null

# ---- who may write them
t_eq "users read rights statements" "0" "$(sql_as alice "SELECT count(*) FROM jobdeck.rights")"
t_fails "a user may not add one" sql_as alice "INSERT INTO jobdeck.rights (record_id, basis, act, granted) VALUES (1, 'copyright', 'use', true)"
t_fails "nor may an administrator" sql_as admin "INSERT INTO jobdeck.rights (record_id, basis, act, granted) VALUES (1, 'copyright', 'use', true)"
t_ok "a worker may" sql_as worker "INSERT INTO jobdeck.rights (record_id, basis, act, granted, note) VALUES (3, 'policy', 'delete', false, 'old')"
t_fails "a user may not delete one" sql_as alice "DELETE FROM jobdeck.rights"
t_eq "nothing was deleted" "1" "$(sql "SELECT count(*) FROM jobdeck.rights")"
t_fails "an end before the start is refused" sql "INSERT INTO jobdeck.rights (record_id, basis, act, granted, start_date, end_date) VALUES (1, 'donor', 'use', true, '2020-01-02', '2020-01-01')"
t_fails "a basis outside PREMIS's is refused" sql "INSERT INTO jobdeck.rights (record_id, basis, act, granted) VALUES (1, 'whim', 'use', true)"

q_worker w1
t_poll "the worker is registered" 10 q_served jobdeck:rights-inherit
submit() { as alice jd submit "$@" --wait >"$Q_TMP/out" 2>"$Q_TMP/err"; }
last() { sql "SELECT max(id) FROM jobdeck.jobs"; }
rights_of() { sql "SELECT coalesce(string_agg(basis || ':' || act || ':' || CASE WHEN granted THEN 't' ELSE 'f' END || ':' || coalesce(start_date::text, '') || ':' || coalesce(end_date::text, '') || ':' || note, ';' ORDER BY basis, act, note), '') FROM jobdeck.rights WHERE record_id = (SELECT id FROM jobdeck.records WHERE identifier = '$1')"; }

t_match "submit --help lists rights-inherit" "rights-inherit .*mode=replace\|add" "$(jd submit --help 2>&1)"

# ---- csv-import sets rights
printf 'identifier,title,rights_basis,rights_act,rights_grant,rights_start,rights_end,rights_note\nR-1,With rights,copyright,disseminate,grant,2001-01-01,2071-01-01,"Crown copyright, 70 years"\nR-2,Without rights,,,,,,\nR-3,Restricted,Donor,Use,restriction,,,Closed until the donor dies\n' >"$Q_TMP/r.csv"
chmod 644 "$Q_TMP/r.csv"
t_ok "csv-import with rights columns completes" submit csv-import --object 1 --param file="$Q_TMP/r.csv"
t_eq "its Info counts the statements" '{"Imported 3 records under F-1, with 2 rights statements; skipped 0 that already existed"}' "$(q_col "$(last)" info)"
t_eq "R-1 has its statement" "copyright:disseminate:t:2001-01-01:2071-01-01:Crown copyright, 70 years" "$(rights_of R-1)"
t_eq "R-2 has none" "" "$(rights_of R-2)"
t_eq "R-3 a restriction (words in any case)" "donor:use:f:::Closed until the donor dies" "$(rights_of R-3)"
printf 'identifier,title,rights_basis,rights_act,rights_grant\nR-4,Fine,statute,use,grant\nR-5,Bad,whim,use,grant\n' >"$Q_TMP/bad.csv"
t_exit "a basis that is not offered ends the import as Error" 1 submit csv-import --object 1 --param file="$Q_TMP/bad.csv"
t_eq "naming the line" '{"Line 3: rights_basis must be copyright, license, statute, policy or donor, not '"'whim'"'; nothing was imported"}' "$(q_col "$(last)" info)"
t_eq "and nothing of it is imported" "0" "$(sql "SELECT count(*) FROM jobdeck.records WHERE identifier IN ('R-4', 'R-5')")"
printf 'identifier,title,rights_basis,rights_act,rights_grant,rights_start\nR-6,Bad date,policy,use,grant,last year\n' >"$Q_TMP/date.csv"
t_exit "a date that is not one is an Error" 1 submit csv-import --object 1 --param file="$Q_TMP/date.csv"
t_match "naming the line and the date" "Line 2: the rights statement of R-6: .*date.*last year.*nothing was imported" "$(q_col "$(last)" info)"
printf 'identifier,title,rights_act\nR-7,Act alone,use\n' >"$Q_TMP/alone.csv"
t_exit "a rights column without rights_basis is an Error" 1 submit csv-import --object 1 --param file="$Q_TMP/alone.csv"
t_match "that says so" "rights_act is given without rights_basis" "$(q_col "$(last)" info)"

# ---- rights-inherit
sql "INSERT INTO jobdeck.rights (record_id, basis, act, granted, start_date, note) VALUES
	(1, 'copyright', 'disseminate', true, '1950-01-01', 'Public domain'),
	(1, 'policy', 'replicate', false, NULL, 'Fragile: no copies');
     INSERT INTO jobdeck.rights (record_id, basis, act, granted, note) VALUES
	(4, 'donor', 'use', true, 'Plans only')" >/dev/null
fonds="copyright:disseminate:t:1950-01-01::Public domain;policy:replicate:f:::Fragile: no copies"
t_ok "rights-inherit (replace) completes" submit rights-inherit --object 1 --param batch=2
id=$(last)
t_eq "its Info counts what it did" '{"Replaced the rights of 6 descendants of F-1 with its 2 statements (12 written, 4 removed)"}' "$(q_col "$id" info)"
out=$(q_output "$id")
t_match "it reports each batch" "2 of 6 records done .*4 of 6 records done .*6 of 6 records done" "$(tr '\n' ' ' <<<"$out")"
for r in F-1-S1 F-1-S1-001 F-1-S2 R-1 R-3; do
	t_eq "$r has the fonds' statements, and only those" "$fonds" "$(rights_of "$r")"
done
t_eq "the fonds keeps its own" "$fonds" "$(rights_of F-1)"

sql "INSERT INTO jobdeck.rights (record_id, basis, act, granted, note) VALUES (4, 'donor', 'use', true, 'Plans only')" >/dev/null
t_ok "rights-inherit (add) completes" submit rights-inherit --object 1 --param mode=add
t_eq "it adds nothing a record already has" '{"Added 0 rights statements of F-1 to 6 descendants"}' "$(q_col "$(last)" info)"
t_eq "and keeps what descendants had besides" "$fonds;donor:use:t:::Plans only" "$(rights_of F-1-S2)"
t_ok "add under a series passes its statement down" submit rights-inherit --object 4 --param mode=add
sql "DELETE FROM jobdeck.rights WHERE record_id = 3" >/dev/null
t_ok "add to a record with none" submit rights-inherit --object 2 --param mode=add
t_eq "copies the series' statements" "$fonds" "$(rights_of F-1-S1-001)"

t_ok "a record with no statements completes" submit rights-inherit --object 6
t_eq "saying so, changing nothing" '{"BARE has no rights statements: nothing to inherit, nothing changed"}' "$(q_col "$(last)" info)"
t_exit "a mode that is not offered is refused at submit" 2 as alice jd submit rights-inherit --object 1 --param mode=merge
t_exit "--object is required" 2 as alice jd submit rights-inherit
t_exit "a record that does not exist is refused at submit" 1 as alice jd submit rights-inherit --object 99999999

# ---- a cancel part way changes nothing
sql "INSERT INTO jobdeck.rights (record_id, basis, act, granted, note) VALUES
	(5, 'license', 'use', true, 'CC BY'), (101, 'statute', 'delete', false, 'Keep')" >/dev/null
id=$(as alice jd submit rights-inherit --object 5 --param batch=1)
t_poll "the large inheritance is under way" 20 bash -c "PGUSER=postgres psql -X -At -c \"SELECT 1 FROM jobdeck.job_output WHERE job_id = $id AND convert_from(data, 'UTF8') LIKE '%records done%'\" | grep -q 1"
t_ok "alice cancels it" as alice jd cancel "$id"
t_poll "it ends" 20 q_is "$id" Error
t_match "as cancelled part way, nothing changed" "Cancelled by alice after [0-9]+ of 6000 records; nothing was changed" "$(q_col "$id" info)"
t_eq "no descendant has the licence" "0" "$(sql "SELECT count(*) FROM jobdeck.rights WHERE note = 'CC BY' AND record_id <> 5")"
t_eq "and BIG-1 keeps its own statement" "statute:delete:f:::Keep" "$(rights_of BIG-1)"
t_ok "run to the end it completes" submit rights-inherit --object 5 --param batch=1000
t_match "reporting each batch" "6000 of 6000 records done" "$(q_output "$(last)")"
t_eq "then every descendant has the licence alone" "6000|6000" "$(sql "SELECT count(*) || '|' || count(*) FILTER (WHERE note = 'CC BY') FROM jobdeck.rights r JOIN jobdeck.records c ON c.id = r.record_id WHERE c.parent_id = 5")"

# ---- who may submit it
t_ok "bob may submit it" as bob jd submit rights-inherit --object 6 --wait
t_fails "the worker role may not submit jobs" as worker jd submit rights-inherit --object 6
