/* model.c — what the model answers about itself (see model.h). */
#include "ui/model.h"

#include <stdlib.h>

const job_row *model_selected(const ui_model *m)
{
	return m->sel >= 0 && m->sel < (int)m->rows.n ? &m->rows.rows[m->sel] : NULL;
}

jd_time model_now(void)
{
	const char *c = getenv("JOBDECK_CLOCK");
	int64_t s = c ? parse_count(c) : -1;
	return s >= 0 ? s * 1000000 : jd_now();
}

keys_ctx model_keys_ctx(const ui_model *m)
{
	const job_row *r = model_selected(m);
	keys_ctx c = {
		.where = m->focus,
		.readonly = m->readonly,
		.has_record = r && r->object_id,
		.filtering = m->filter[0] != '\0',
		.running = r && r->status == JOB_RUNNING,
		.has_job = r != NULL,
		.follow = m->follow,
		.auto_on = m->auto_on,
	};
	return c;
}
