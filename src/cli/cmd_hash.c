/* `hashjoule hash HEADER_HEX`: the block hash of an 80-byte header. */
#include <string.h>

#include "cli.h"
#include "hashjoule/hashjoule.h"

static const char hash_usage[] =
    "usage: hashjoule hash HEADER_HEX\n"
    "\n"
    "Print the SHA-256d block hash of an 80-byte header (160 hex digits) in\n"
    "display order (byte-reversed, as block explorers show it), 64 lowercase hex digits.\n";

int hj_cmd_hash(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(hash_usage, stdout);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0))
        return hj_cli_print_version();
    if (argc != 2)
        return hj_cli_fail("hash", HJ_ERR_INPUT, "expected exactly one argument, HEADER_HEX (160 hex digits); got %d",
                           argc - 1);
    uint8_t header[HJ_HEADER_BYTES], hash[32];
    hj_error err;
    hj_status st = hj_header_from_hex(argv[1], header, "HEADER_HEX", &err);
    if (st != HJ_OK)
        return hj_cli_fail_err("hash", st, &err);
    hj_header_hash(header, hash);
    char hex[65];
    hj_hash_to_display_hex(hash, hex);
    printf("%s\n", hex);
    return 0;
}
