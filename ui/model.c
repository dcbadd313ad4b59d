/* model.c — what the model answers about itself (see model.h). */
#include "model.h"

#include <stdlib.h>

#include "config.h"

const job_row *model_selected(const ui_model *m)
{
	return m->sel >= 0 && m->sel < (int)m->rows.n ? &m->rows.rows[m->sel] : NULL;
}

jd_time model_now(void)
{
	int64_t t = config_clock();
	return t >= 0 ? t : jd_now();
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
		.failed = r && r->status == JOB_ERROR,
		.marked = m->mark_all || m->nmarks > 0,
		.searching = m->nmatches > 0,
		.has_download = r && r->download_path,
	};
	return c;
}

int64_t model_marked(const ui_model *m)
{
	if (m->mark_all)
		return m->mark_all_n > 0 ? m->mark_all_n : 0;
	return (int64_t)m->nmarks;
}
