/* hashjoule — version of the library and the build it came from. */
#ifndef HASHJOULE_VERSION_H
#define HASHJOULE_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

const char *hj_version(void);    /* "0.1.0" */
const char *hj_git_commit(void); /* short hash, "-dirty" when built from a modified tree, "unknown" outside git */
const char *hj_build_compiler(void);
const char *hj_build_flags(void); /* C flags of this build type */
const char *hj_build_type(void);

#ifdef __cplusplus
}
#endif
#endif
