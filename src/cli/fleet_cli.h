/* The `hashjoule fleet` renderers (private to src/cli): each formats a
 * finished hj_fleet_report and computes nothing of the model; and the
 * --rpc flags, which hand the library's node reader its configuration. */
#ifndef HJ_FLEET_CLI_H
#define HJ_FLEET_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "hashjoule/fleet.h"
#include "hashjoule/node_rpc.h"
#include "hashjoule/projection.h"

void fleet_print_text(FILE *out, const hj_fleet_report *r);    /* fleet_text.c */
void fleet_print_explain(FILE *out, const hj_fleet_report *r); /* fleet_explain.c */
/* fleet_text.c: the local rows without an energy measurement: why (once)
 * and the fleet flag that estimates them; nothing when there are none */
void fleet_print_unmeasured_note(FILE *out, const hj_fleet_report *r);
/* fleet_json.c; 0, or the exit status after reporting the failure */
int fleet_print_json(FILE *out, const hj_fleet_report *r);
void fleet_print_csv(FILE *out, const hj_fleet_report *r); /* fleet_csv.c */
/* fleet_svg.c: writes the four charts into dir (created if missing). Refuses
 * to replace an existing file unless overwrite; each file is written to a
 * temporary name and renamed, so a reader never sees half a chart. */
int fleet_write_svgs(const char *dir, bool overwrite, const hj_fleet_report *r, hj_error *err);
#define FLEET_SVG_COUNT 4

/* fleet_projection.c: the projection (r->projection, fleet --months) */
void fleet_print_projection_text(FILE *out, const hj_fleet_report *r);
void fleet_print_projection_csv(FILE *out, const hj_fleet_report *r); /* one row per option and month */
struct json_t *fleet_projection_json(const hj_fleet_report *r);       /* the "projection" object */
/* fleet_projection_explain.c: the projection's formulas with numbers */
void fleet_print_projection_explain(FILE *out, const hj_fleet_report *r);
/* fleet_projection_svg.c: cumulative cash per MW, mining against AI, halvings marked */
#define FLEET_PROJECTION_SVG "projection_cumulative_cash.svg"
void fleet_chart_projection(FILE *f, const hj_fleet_report *r);
const char *fleet_svg_name(int i);             /* the file name of chart i in DIR, 0 <= i < fleet_svg_count */
int fleet_svg_count(const hj_fleet_report *r); /* FLEET_SVG_COUNT, plus the projection's chart with --months */

/* fleet_rpc.c: --rpc URL, --rpc-cookie FILE, --rpc-timeout SECONDS (NULL,
 * NULL, NAN when not given). With --rpc, reads the node into *net and points
 * req->network at it; credentials from the cookie file, else from
 * HASHJOULE_RPC_USER and HASHJOULE_RPC_PASSWORD. 0, or the exit status after
 * the message. */
typedef struct fleet_rpc_flags {
    const char *url, *cookie_path;
    double timeout_s;
} fleet_rpc_flags;
int fleet_read_node(const fleet_rpc_flags *f, hj_fleet_request *req, hj_network *net);

#endif
