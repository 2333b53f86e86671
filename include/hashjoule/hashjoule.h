/* hashjoule — SHA-256d nonce scanning, measured in hashes per joule.
 *
 * The one header to include. Everything public is prefixed hj_. */
#ifndef HASHJOULE_H
#define HASHJOULE_H

#include "hashjoule/atomic_file.h"
#include "hashjoule/bench.h"
#include "hashjoule/bench_file.h"
#include "hashjoule/bytes.h"
#include "hashjoule/clock.h"
#include "hashjoule/consensus.h"
#include "hashjoule/cpu.h"
#include "hashjoule/energy.h"
#include "hashjoule/error.h"
#include "hashjoule/fleet.h"
#include "hashjoule/fleet_data.h"
#include "hashjoule/format.h"
#include "hashjoule/header.h"
#include "hashjoule/input_file.h"
#include "hashjoule/interference.h"
#include "hashjoule/job.h"
#include "hashjoule/kernel.h"
#include "hashjoule/node_rpc.h"
#include "hashjoule/opencl.h"
#include "hashjoule/operator_fleet.h"
#include "hashjoule/parse.h"
#include "hashjoule/projection.h"
#include "hashjoule/report.h"
#include "hashjoule/results.h"
#include "hashjoule/scan.h"
#include "hashjoule/sha256.h"
#include "hashjoule/stats.h"
#include "hashjoule/target.h"
#include "hashjoule/topology.h"
#include "hashjoule/version.h"

#endif
