/* tabs.c — the tab line (see tabs.h). */
#include "ui/tabs.h"

#include <stdio.h>
#include <string.h>

#include "ui/cell.h"
#include "ui/draw.h"

void tabs_draw(ui_model *m, int y, int width)
{
	int x = 1;
	char buf[128];
	for (int t = 0; t < JOBS_NTABS; t++) {
		m->tab_x[t] = x;
		if (m->loaded)
			snprintf(buf, sizeof buf, " %d %s (%lld) ", t + 1, jobs_tab_name((jobs_tab)t),
				 (long long)m->counts[t]);
		else
			snprintf(buf, sizeof buf, " %d %s ", t + 1, jobs_tab_name((jobs_tab)t));
		draw_seg(y, &x, width, buf, t == (int)m->tab ? draw_attr(ROLE_TAB_ACTIVE) : A_NORMAL);
		draw_seg(y, &x, width, " ", A_NORMAL);
	}
	m->tab_x[JOBS_NTABS] = x;
	if (m->filter[0]) {
		strbuf sb = STRBUF_INIT;
		cell_clean(m->filter, strlen(m->filter), &sb);
		snprintf(buf, sizeof buf, " Filter: %s ", sb.buf ? sb.buf : "");
		sb_release(&sb);
		draw_seg(y, &x, width, buf, draw_attr(ROLE_WARN));
	}
}

int tabs_hit(const ui_model *m, int x)
{
	for (int t = 0; t < JOBS_NTABS; t++)
		if (x >= m->tab_x[t] && x < m->tab_x[t + 1] - 1)
			return t;
	return -1;
}
