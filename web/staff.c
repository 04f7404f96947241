/*
 * staff.c: the staff frame (staff.h), the staff home page /staff and the
 * admin home /admin.
 *
 * The menu is a table of the seed's panels; an item shows when the
 * operator's role may GET its address (routes_role asks the route tables:
 * one definition of who may open what). Every panel has its own file and
 * route table now (the last placeholder, the register's, went with
 * pages_register.c).
 */
#include <stdio.h>
#include <string.h>

#include "page.h"
#include "staff.h"

static const struct {
	const char *href, *key;
} staff_menu[] = {
    {"/staff/desk", "menu_desk"},
    {"/staff/register", "menu_register"},
    {"/staff/waitlist", "menu_waitlist"},
    {"/staff/boards", "menu_boards"},
    {"/staff/reports", "menu_reports"},
    {"/staff/reception", "menu_reception"},
    {"/admin", "menu_settings"},
};

#define NMENU (sizeof staff_menu / sizeof staff_menu[0])

const char *
staff_role_label(struct request *rq, enum role r)
{
	char key[32];

	snprintf(key, sizeof key, "role_%s", role_name(r));
	return page_t(rq, key);
}

static bool
in_section(const char *path, const char *href)
{
	size_t n = strlen(href);

	return strncmp(path, href, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

/* the menu items this operator may open */
static json_t *
menu(struct request *rq, const char *current)
{
	json_t *items = json_array();
	char about[48];
	size_t i;
	int role;

	if (rq->account == NULL)
		return items;
	for (i = 0; i < NMENU; i++) {
		role = routes_role(staff_menu[i].href);
		if (role < 0 || role > (int)rq->account->role)
			continue;
		snprintf(about, sizeof about, "%s_about", staff_menu[i].key);
		json_array_append_new(
		    items, json_pack("{s:s, s:s, s:s, s:b}", "href",
		               staff_menu[i].href, "label",
		               page_t(rq, staff_menu[i].key), "about",
		               page_t(rq, about), "current",
		               current != NULL &&
		                   in_section(current, staff_menu[i].href)));
	}
	return items;
}

json_t *
staff_context(struct request *rq, const char *current)
{
	json_t *ctx = page_context(rq), *items = menu(rq, current);

	json_object_set_new(
	    ctx, "has_menu", json_boolean(json_array_size(items)));
	json_object_set_new(ctx, "menu", items);
	if (rq->account != NULL)
		json_object_set_new(ctx, "operator",
		    json_pack("{s:s, s:s, s:s}", "name",
		        rq->account->display_name[0] ? rq->account->display_name
		                                     : rq->account->login,
		        "login", rq->account->login, "role",
		        staff_role_label(rq, rq->account->role)));
	return ctx;
}

void
staff_render(struct request *rq, struct response *rs, unsigned status,
    const char *name, json_t *ctx)
{
	page_render_in(rq, rs, status, name, "staff_layout", ctx);
}

void
staff_message(struct request *rq, struct response *rs, unsigned status,
    const char *title_key, const char *text_key)
{
	json_t *ctx = staff_context(rq, rq->path);

	json_object_set_new(ctx, "title", json_string(page_t(rq, title_key)));
	json_object_set_new(ctx, "heading", json_string(page_t(rq, title_key)));
	json_object_set_new(ctx, "text", json_string(page_t(rq, text_key)));
	staff_render(rq, rs, status, "staff_message", ctx);
}

void
staff_forbidden(struct request *rq, struct response *rs)
{
	staff_message(rq, rs, 403, "forbidden_title", "forbidden_text");
}

static void
staff_home(struct request *rq, struct response *rs)
{
	json_t *ctx = staff_context(rq, NULL);
	char idle[48];

	page_minutes(rq, (long)(rq->web->config->staff_session_idle / 60), idle,
	    sizeof idle);
	json_object_set_new(ctx, "session_idle", json_string(idle));
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "staff_home_title")));
	staff_render(rq, rs, 200, "staff_home", ctx);
}

/* the settings index: the office's structure, the rules tuned at run
 * time, oversight; a section without an address is still to come */
static void
admin_home(struct request *rq, struct response *rs)
{
	static const struct {
		const char *group, *key, *href;
	} sections[] = {
	    {"admin_group_structure", "admin_operators", "/admin/operators"},
	    {"admin_group_structure", "admin_units", "/admin/units"},
	    {"admin_group_structure", "admin_services", "/admin/services"},
	    {"admin_group_structure", "admin_desks", "/admin/desks"},
	    {"admin_group_structure", "admin_calendar", "/admin/calendar"},
	    {"admin_group_structure", "admin_holidays", "/admin/holidays"},
	    /* the rules admins tune at run time (issue 13) */
	    {"admin_group_rules", "admin_rules", "/admin/rules"},
	    {"admin_group_rules", "admin_templates", "/admin/templates"},
	    {"admin_group_rules", "admin_replies", "/admin/replies"},
	    {"admin_group_oversight", "admin_audit", "/admin/audit"},
	};
	json_t *ctx = staff_context(rq, "/admin"), *groups = json_array(),
	       *list = NULL;
	const char *group = "";
	char about[48];
	size_t i;

	for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		json_t *item;

		if (strcmp(group, sections[i].group) != 0) {
			group = sections[i].group;
			list = json_array();
			json_array_append_new(
			    groups, json_pack("{s:s, s:o}", "heading",
			                page_t(rq, group), "sections", list));
		}
		snprintf(about, sizeof about, "%s_about", sections[i].key);
		item = json_pack("{s:s, s:s}", "label",
		    page_t(rq, sections[i].key), "about", page_t(rq, about));
		if (sections[i].href != NULL)
			json_object_set_new(
			    item, "href", json_string(sections[i].href));
		json_array_append_new(list, item);
	}
	json_object_set_new(ctx, "groups", groups);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "admin_title")));
	staff_render(rq, rs, 200, "admin_home", ctx);
}

const struct route staff_routes[] = {
    {"GET", "/staff", staff_home, ROLE_RECEPTION, 0},
    {"GET", "/admin", admin_home, ROLE_ADMIN, 0},
    {0},
};
