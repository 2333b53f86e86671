/* AMD GPUs through the amdgpu hwmon files under
 * /sys/class/drm/cardN/device/hwmon/hwmonM: energy1_input (cumulative µJ)
 * where present, else power1_average, else power1_input (µW) integrated by
 * the meter (Linux Documentation/hwmon/sysfs-interface; amdgpu docs,
 * dri.freedesktop.org/docs/drm/gpu/amdgpu.html). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "energy_internal.h"
#include "energy_sources.h"

typedef struct hwmon_priv {
    char path[700];
} hwmon_priv;

static hj_status hwmon_read_energy(hj_energy_sensor *s, uint64_t *count, hj_error *err)
{
    hwmon_priv *p = s->priv;
    return hj_energy_read_u64_file(p->path, "an energy counter in microjoules", count, err);
}

static hj_status hwmon_read_power(hj_energy_sensor *s, double *watts, hj_error *err)
{
    hwmon_priv *p = s->priv;
    uint64_t uw;
    hj_status st = hj_energy_read_u64_file(p->path, "a power reading in microwatts", &uw, err);
    if (st == HJ_OK)
        *watts = (double)uw * 1e-6;
    return st;
}

static void hwmon_close(hj_energy_sensor *s) { free(s->priv); }

static bool is_card(const char *name)
{
    if (strncmp(name, "card", 4) != 0 || !name[4])
        return false;
    for (const char *p = name + 4; *p; p++)
        if (*p < '0' || *p > '9')
            return false; /* card0-DP-1 and the like are connectors */
    return true;
}

static void open_hwmon(const char *card, const char *card_dir, const char *hw_dir, hj_energy_set *set)
{
    static const struct {
        const char *file;
        bool energy;
    } files[] = {{"energy1_input", true}, {"power1_average", false}, {"power1_input", false}};
    char path[700], text[128];
    hj_error err;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (!HJ_FMT_FITS(path, "%s/%s", hw_dir, files[i].file) ||
            hj_energy_read_text(path, text, sizeof text) == ENOENT)
            continue;
        hj_energy_sensor probe = {0};
        hwmon_priv *p = calloc(1, sizeof *p);
        if (!p)
            return;
        hj_energy_copy(p->path, sizeof p->path, path);
        probe.priv = p;
        uint64_t c;
        double w;
        hj_status st = files[i].energy ? hwmon_read_energy(&probe, &c, &err) : hwmon_read_power(&probe, &w, &err);
        if (st != HJ_OK) {
            hj_energy_add_note(set, "amdgpu-hwmon", "%s", err.message);
            free(p);
            continue; /* a power file may still work */
        }
        hj_energy_sensor *s = hj_energy_add_sensor(set);
        if (!s) {
            free(p);
            return;
        }
        char product[200] = "";
        if (!HJ_FMT_FITS(path, "%s/device/product_name", card_dir) ||
            hj_energy_read_text(path, product, sizeof product) != 0 || !product[0]) {
            hj_energy_copy(product, sizeof product, "AMD GPU ");
            hj_energy_copy(product + strlen(product), sizeof product - strlen(product), card);
        }
        hj_energy_copy(s->name, sizeof s->name, "amdgpu:");
        hj_energy_copy(s->name + 7, sizeof s->name - 7, card);
        hj_energy_copy(s->source, sizeof s->source, "amdgpu-hwmon");
        hj_energy_copy(s->scope, sizeof s->scope, HJ_SCOPE_GPU_BOARD);
        hj_energy_copy(s->device, sizeof s->device, product);
        hj_energy_copy(s->origin, sizeof s->origin, p->path);
        s->cumulative = files[i].energy;
        s->joules_per_count = 1e-6;
        s->sample_period_s = files[i].energy ? 1.0 : 0.1;
        s->sample_on_snapshot = true;
        s->read_count = files[i].energy ? hwmon_read_energy : NULL;
        s->read_watts = files[i].energy ? NULL : hwmon_read_power;
        s->close = hwmon_close;
        s->priv = p;
        return;
    }
    hj_energy_add_note(set, "amdgpu-hwmon", "%s: no usable energy1_input, power1_average or power1_input", hw_dir);
}

void hj_energy_discover_hwmon(const char *sysfs_root, hj_energy_set *set)
{
    char drm[512];
    snprintf(drm, sizeof drm, "%s/class/drm", sysfs_root);
    DIR *d = opendir(drm);
    if (!d) {
        hj_energy_add_note(set, "amdgpu-hwmon", "no GPU driver exposes %s (%s)", drm, strerror(errno));
        return;
    }
    size_t found = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!is_card(de->d_name))
            continue;
        char card_dir[600], hw_root[700];
        if (!HJ_FMT_FITS(card_dir, "%s/%s", drm, de->d_name) || !HJ_FMT_FITS(hw_root, "%s/device/hwmon", card_dir))
            continue;
        DIR *h = opendir(hw_root);
        if (!h)
            continue;
        struct dirent *he;
        while ((he = readdir(h))) {
            if (strncmp(he->d_name, "hwmon", 5) != 0)
                continue;
            char hw_dir[900], name_path[1000], name[64];
            if (!HJ_FMT_FITS(hw_dir, "%s/%s", hw_root, he->d_name) || !HJ_FMT_FITS(name_path, "%s/name", hw_dir) ||
                hj_energy_read_text(name_path, name, sizeof name) != 0 || strcmp(name, "amdgpu") != 0)
                continue;
            found++;
            open_hwmon(de->d_name, card_dir, hw_dir, set);
        }
        closedir(h);
    }
    closedir(d);
    if (!found)
        hj_energy_add_note(set, "amdgpu-hwmon", "no amdgpu hwmon device under %s", drm);
}
