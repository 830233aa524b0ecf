/* shoplazza.h: what the Shoplazza front's files share (shoplazza_front.c: routes, auth, reads
 * and answers; shoplazza_writes.c: create, update, cancel; shoplazza_form.c: the store file and
 * JSON forms). The contract is /work/shared/contract/shoplazza-api.md, API version 2026-01;
 * README.md says what is ours where the contract is silent. */
#ifndef SIM_SHOPLAZZA_H
#define SIM_SHOPLAZZA_H

#include "front.h"

#define SIM_SHOPLAZZA_BASE "/openapi/2026-01"

extern const sim_store_form sim_shoplazza_form;

/* The contract's words for a core fulfillment status ("canceled" is "cancelled"). */
const char *sim_shoplazza_status(const char *core_status);
/* waiting | partially_shipped | shipped from the quantities; cancelled for a cancelled order. */
const char *sim_shoplazza_fulfillment_status(const sim_order *order);
/* The neutral tracking object of a fulfillment body or object: tracking_number first, then the
 * other numbers of tracking_items; tracking_company, tracking_company_code, the URLs. */
json_t *sim_shoplazza_tracking(json_t *fulfillment);
/* Objects as the API shows them (the order's lock held). */
json_t *sim_shoplazza_render_order(const sim_order *order);
json_t *sim_shoplazza_render_fulfillment(const sim_order *order,
                                         const sim_fulfillment *fulfillment);

/* Answers: {"code": "Success", "message": "success", "data": data} (code as given); the
 * contract's error shapes: 400/404/429 {"code", "message"}, 422 {"errors": [message]}. */
void sim_shoplazza_reply_data(sim_reply *reply, int status, const char *code, json_t *data);
void sim_shoplazza_reply_error(sim_reply *reply, sim_code code, const char *message);
void sim_shoplazza_unprocessable(sim_reply *reply, const char *message);
/* The order of {order_id} (params[0]), or NULL after a 404. */
sim_order *sim_shoplazza_path_order(sim_app *app, sim_request *request, sim_reply *reply);
/* Whether a carrier code is in the store's /tracking/carriers list. */
int sim_shoplazza_known_carrier(const char *code);

void sim_shoplazza_create(sim_app *app, sim_request *request, sim_reply *reply);
void sim_shoplazza_update(sim_app *app, sim_request *request, sim_reply *reply);
void sim_shoplazza_cancel(sim_app *app, sim_request *request, sim_reply *reply);

#endif
