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
