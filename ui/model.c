/* model.c — what the model answers about itself (see model.h). */
#include "ui/model.h"

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
