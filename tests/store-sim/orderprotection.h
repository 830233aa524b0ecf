/* orderprotection.h: what the OrderProtection front's files share (orderprotection_front.c:
 * routes, auth, reads and writes; orderprotection_form.c: the store file and JSON forms). The
 * contract is /work/shared/contract/orderprotection-api.md; README.md says what is ours. */
#ifndef SIM_ORDERPROTECTION_H
#define SIM_ORDERPROTECTION_H

#include "front.h"

extern const sim_store_form sim_orderprotection_form;

/* Objects as the API shows them (the order's lock held). */
json_t *sim_op_render_order(const sim_order *order);
json_t *sim_op_render_fulfillment(const sim_fulfillment *fulfillment);
/* trackingNumber / trackingUrl as an array of strings (a lone string is accepted); NULL when
 * it is neither (absent gives an empty array). */
json_t *sim_op_string_list(json_t *value);

#endif
