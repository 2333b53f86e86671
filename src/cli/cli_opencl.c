/* The OpenCL flags of the commands that scan: --device, --launch-ms,
 * --local-size. */
#include <string.h>

#include "cli.h"
#include "hashjoule/hashjoule.h"
#include "hashjoule/opencl.h"

hj_status hj_cli_opencl_setup(const hj_kernel **kernel, const char *kernel_name, const char *device,
                              const char *launch_ms, const char *local_size, hj_error *err)
{
    bool opencl_kernel = strcmp(kernel_name, "opencl") == 0 || strncmp(kernel_name, "opencl:", 7) == 0;
    if (!device && !launch_ms && !local_size)
        return HJ_OK;
    if (!opencl_kernel && strcmp(kernel_name, "auto") != 0)
        return hj_fail(err, HJ_ERR_INPUT,
                       "--device, --launch-ms and --local-size apply to OpenCL kernels, "
                       "not to --kernel %s",
                       kernel_name);
    if (!opencl_kernel && !device)
        return hj_fail(err, HJ_ERR_INPUT, "--launch-ms and --local-size need --kernel opencl or --device");
    if (device && strcmp(kernel_name, "opencl") != 0 && strcmp(kernel_name, "auto") != 0)
        return hj_fail(err, HJ_ERR_INPUT,
                       "--device with --kernel %s: give one of them (--kernel opencl "
                       "--device P:D, or --kernel opencl:P:D)",
                       kernel_name);

    hj_opencl_options o;
    memset(&o, 0, sizeof o);
    hj_status st = hj_opencl_options_from_env(&o, err);
    if (st != HJ_OK)
        return st;
    uint64_t v;
    if (launch_ms) {
        if ((st = hj_parse_u64(launch_ms, "--launch-ms", 1, 10000, &v, err)) != HJ_OK)
            return st;
        o.launch_ms = (double)v;
    }
    if (local_size) {
        if ((st = hj_parse_u64(local_size, "--local-size", 1, 65536, &v, err)) != HJ_OK)
            return st;
        o.local_size = (unsigned)v;
    }
    if ((st = hj_opencl_set_options(&o, err)) != HJ_OK)
        return st;
    if (device)
        return hj_opencl_kernel_for_device(device, kernel, err);
    return HJ_OK;
}
