# The chaos soak (tests/chaos.sh, `make chaos`) for 50 seconds: workers killed, gearmand
# killed, PostgreSQL restarted, a worker host cut off, jobs cancelled, while clients submit;
# then nothing lost, stuck, ended twice or with wrong output, counters right.
CHAOS_SECONDS=${CHAOS_SECONDS:-50} exec bash "$(dirname "$0")/../chaos.sh"
